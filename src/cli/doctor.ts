import { Command } from 'commander';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import * as sd from '../index.js';
import { findBackend } from '../backend/backend.js';
import { packageVersion } from './version.js';

/** CPU flags that matter to the kernels, as the kernel of this machine reports them. */
function cpuFlags(): string[] {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => l.startsWith('flags'));
    const flags = new Set(line?.split(':')[1].trim().split(/\s+/) ?? []);
    return ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl'].filter((f) => flags.has(f));
  } catch {
    return [];
  }
}

/** The report `shendu doctor` prints: versions, backends and the CPU features in use. */
export function doctorReport(): string {
  const lines: string[] = [];
  const cpus = os.cpus();
  lines.push(`shendu ${packageVersion()}`);
  lines.push(`node ${process.version} on ${process.platform}-${process.arch}`);
  lines.push(`cpu: ${cpus[0]?.model ?? 'unknown'} x ${cpus.length}; flags: ${cpuFlags().join(' ') || 'none detected'}`);
  lines.push(`active backend: ${sd.getBackend()}`);
  for (const name of sd.listBackends()) {
    const backend = findBackend(name)!;
    lines.push(`  ${name}: ${backend.features().join(', ')}`);
  }
  return lines.join('\n');
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('print the version, the backends present and the CPU features they use')
    .action(() => {
      console.log(doctorReport());
    });
}
