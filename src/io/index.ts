/** Reading and writing tensors and models, `sd.io`: safetensors files, state dicts, the model file. */
export {
  encodeSafetensors,
  decodeSafetensors,
  METADATA_KEY,
  type NamedTensors,
  type SafetensorsContent,
} from './safetensors.js';
export { SAFETENSORS_DTYPES } from './dtypes.js';
export { saveSafetensors, loadSafetensors, saveStateDict, loadStateDict } from './files.js';
export { writeFileAtomic } from './atomic.js';
export {
  saveModel,
  loadModel,
  loadCheckpoint,
  registerModelLoader,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type SavableModel,
  type SaveModelOptions,
  type LoadCheckpointOptions,
  type LoadedModel,
  type ModelLoader,
} from './model-file.js';
export { registerUriResolver, resolveModelPath } from './uri.js';
