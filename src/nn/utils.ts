/** `sd.nn.utils`, as `torch.nn.utils`: gradient clipping (implemented with the optimizers). */
export { clipGradNorm_, clipGradValue_ } from '../optim/clip-grad.js';
