/**
 * `shendu models ls|register|alias|show`: the model registry of the tracking store
 * ($SHENDU_HOME, else ./.shendu, or --home).
 */
import { Command } from 'commander';
import { ModelRegistry } from '../track/registry.js';
import { TrackingStore } from '../track/store.js';
import { resolveHome } from '../track/env.js';
import { NotFoundError } from '../track/errors.js';
import { formatTable, formatTime } from '../track/format.js';
import { cliAction, openCliStore } from './runs.js';

type HomeOption = { home?: string };

/** Runs `body` with the registry of the store; `create` opens (creating) a missing store. */
function withRegistry(options: HomeOption, create: boolean, body: (registry: ModelRegistry) => void): void {
  const store = create ? TrackingStore.open({ home: options.home }) : openCliStore(options.home);
  if (!store) throw new NotFoundError(`no tracking store at ${resolveHome(options.home)} (set SHENDU_HOME or --home)`);
  try {
    body(new ModelRegistry(store));
  } finally {
    store.close();
  }
}

function aliasText(aliases: Record<string, number> | string[]): string {
  const list = Array.isArray(aliases) ? aliases : Object.entries(aliases).map(([a, v]) => `${a}→${v}`);
  return list.map((a) => `@${a}`).join(' ');
}

function listModels(options: HomeOption & { json?: boolean }): void {
  const store = openCliStore(options.home);
  if (!store) {
    console.log(options.json ? '[]' : `no registered models (no tracking store at ${resolveHome(options.home)})`);
    return;
  }
  try {
    const models = new ModelRegistry(store).listModels();
    if (options.json) console.log(JSON.stringify(models, null, 2));
    else if (models.length === 0) console.log('no registered models');
    else console.log(formatTable(['NAME', 'LATEST', 'ALIASES', 'UPDATED'], models.map((m) => [m.name, m.latestVersion, aliasText(m.aliases), formatTime(m.updatedAt)])));
  } finally {
    store.close();
  }
}

function registerModel(source: string, name: string, options: HomeOption & { description?: string }): void {
  withRegistry(options, true, (registry) => {
    const v = registry.register(source, name, { description: options.description });
    console.log(`registered '${v.name}' version ${v.version} from ${v.source}`);
  });
}

function setAlias(name: string, alias: string, version: string, options: HomeOption): void {
  withRegistry(options, false, (registry) => {
    registry.setAlias(name, alias, version);
    console.log(`${name}@${alias} → version ${registry.getVersion(name, alias).version}`);
  });
}

function showModel(name: string, options: HomeOption & { json?: boolean }): void {
  withRegistry(options, false, (registry) => {
    const model = registry.getModel(name);
    const versions = registry.listVersions(name);
    if (options.json) {
      console.log(JSON.stringify({ ...model, versions }, null, 2));
      return;
    }
    const lines = [`model ${model.name}${model.description ? `: ${model.description}` : ''}`];
    const tags = Object.entries(model.tags);
    if (tags.length) lines.push(`tags: ${tags.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    lines.push('');
    lines.push(
      formatTable(
        ['VERSION', 'ALIASES', 'CREATED', 'SOURCE', 'FILE'],
        versions.map((v) => [v.version, aliasText(v.aliases), formatTime(v.createdAt), v.source, v.file]),
      ),
    );
    console.log(lines.join('\n'));
  });
}

export function modelsCommand(): Command {
  const models = new Command('models').description('the model registry: versions and aliases of named models');
  const home = ['--home <dir>', 'the tracking store folder (default $SHENDU_HOME or ./.shendu)'] as const;
  models.command('ls').description('list registered models').option(...home).option('--json', 'print JSON').action(cliAction(listModels));
  models
    .command('register')
    .description("register a new version of a model from a run's model artifact or a model file")
    .argument('<source>', 'run id (or unique prefix), runs:/<id>/<artifact>, or a model file path')
    .argument('<name>', 'model name')
    .option(...home)
    .option('-d, --description <text>', 'what this version is')
    .action(cliAction(registerModel));
  models
    .command('alias')
    .description('point an alias (champion, canary, ...) of a model at a version')
    .argument('<name>', 'model name')
    .argument('<alias>', 'alias name')
    .argument('<version>', 'version number (or another alias)')
    .option(...home)
    .action(cliAction(setAlias));
  models
    .command('show')
    .description('show the versions and aliases of a model')
    .argument('<name>', 'model name')
    .option(...home)
    .option('--json', 'print JSON')
    .action(cliAction(showModel));
  return models;
}
