/**
 * The filter and order-by language of `searchRuns`, as MLflow writes it, compiled to SQL
 * with bound parameters (no value is ever pasted into the SQL text):
 *
 *   metrics.loss < 0.5 and params.optimizer = 'adam' and tags.team != "vision"
 *   status = 'FINISHED' and name LIKE 'mnist%'
 *
 * An identifier is `metrics.<key>` (the last logged value), `params.<key>`, `tags.<key>`
 * or an attribute: `status`, `name`, `id`, `experiment`, `start_time`, `end_time` (also
 * written `attributes.status`, …). Keys of letters, digits and `_ - / .` are written as
 * they are; others go in backquotes: metrics.`val loss`. Operators: = != < <= > >= LIKE
 * ILIKE. Clauses join with AND.
 * Order by: `['metrics.loss ASC', 'start_time DESC']`; missing values sort last.
 */
import { ValueError } from '../errors.js';

export interface SqlPart {
  sql: string;
  params: unknown[];
}

const ATTRIBUTES: Record<string, string> = {
  id: 'r.id',
  name: 'r.name',
  run_name: 'r.name',
  status: 'r.status',
  experiment: 'e.name',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
};

const TOKEN = /\s*(?:(`[^`]*`)|('(?:[^'\\]|\\.)*')|("(?:[^"\\]|\\.)*")|(<=|>=|!=|<>|=|<|>)|([A-Za-z_][\w-]*(?:\.(?:`[^`]*`|[\w/-]+))*)|(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?))/y;

type Token = { kind: 'ident' | 'string' | 'number' | 'op'; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < filter.length) {
    if (/^\s*$/.test(filter.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(filter);
    if (!m) throw new ValueError(`searchRuns: cannot parse filter at '${filter.slice(pos).trim()}' in "${filter}"`);
    pos = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: 'ident', text: m[1] });
    else if (m[2] || m[3]) tokens.push({ kind: 'string', text: unquote(m[2] ?? m[3]) });
    else if (m[4]) tokens.push({ kind: 'op', text: m[4] === '<>' ? '!=' : m[4] });
    else if (m[5] && /^(i?like)$/i.test(m[5])) tokens.push({ kind: 'op', text: m[5].toUpperCase() });
    else if (m[5]) tokens.push({ kind: 'ident', text: m[5] });
    else tokens.push({ kind: 'number', text: m[6] });
  }
  return tokens;
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** The SQL expression of an identifier; `numeric` casts params and tags for < and >. */
function column(op: string, ident: string, numeric: boolean): SqlPart {
  const dot = ident.indexOf('.');
  const prefix = dot < 0 ? 'attributes' : ident.slice(0, dot).toLowerCase();
  const rawKey = dot < 0 ? ident : ident.slice(dot + 1);
  const key = rawKey.startsWith('`') && rawKey.endsWith('`') ? rawKey.slice(1, -1) : rawKey;
  switch (prefix) {
    case 'metric':
    case 'metrics':
      return { sql: '(SELECT value FROM latest_metrics WHERE run_id = r.id AND key = ?)', params: [key] };
    case 'param':
    case 'params':
    case 'tag':
    case 'tags': {
      const table = prefix.startsWith('param') ? 'params' : 'tags';
      const value = numeric ? 'CAST(value AS REAL)' : 'value';
      return { sql: `(SELECT ${value} FROM ${table} WHERE run_id = r.id AND key = ?)`, params: [key] };
    }
    case 'attribute':
    case 'attributes':
    case 'attr': {
      const sql = ATTRIBUTES[key.toLowerCase()];
      if (sql) return { sql, params: [] };
      break;
    }
  }
  throw new ValueError(
    `${op}: unknown field '${ident}'; use metrics.<key>, params.<key>, tags.<key> or one of ${Object.keys(ATTRIBUTES).join(', ')}`,
  );
}

/** Compiles a filter string to a SQL condition over runs `r` joined with experiments `e`. */
export function compileFilter(filter: string): SqlPart {
  const tokens = tokenize(filter);
  const parts: string[] = [];
  const params: unknown[] = [];
  let i = 0;
  while (i < tokens.length) {
    const [ident, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (ident?.kind !== 'ident' || op?.kind !== 'op' || !value || (value.kind !== 'string' && value.kind !== 'number')) {
      throw new ValueError(`searchRuns: expected '<field> <operator> <value>' in filter "${filter}"`);
    }
    // params and tags are text: equality compares text ('0.01' = 0.01), ordering compares numbers
    const textField = /^(params?|tags?)\./i.test(ident.text);
    const ordering = op.text !== '=' && op.text !== '!=';
    const numeric = value.kind === 'number' && (ordering || !textField);
    const col = column('searchRuns', ident.text, numeric && textField);
    if (op.text === 'ILIKE') parts.push(`lower(${col.sql}) LIKE lower(?)`);
    else parts.push(`${col.sql} ${op.text} ?`);
    params.push(...col.params, numeric ? Number(value.text) : value.text);
    i += 3;
    if (i < tokens.length) {
      if (tokens[i].kind !== 'ident' || tokens[i].text.toLowerCase() !== 'and') {
        throw new ValueError(`searchRuns: expected 'and' between clauses, got '${tokens[i].text}' in filter "${filter}"`);
      }
      i++;
      if (i === tokens.length) throw new ValueError(`searchRuns: filter ends with 'and': "${filter}"`);
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Compiles order-by entries ('metrics.loss DESC', 'start_time') to a SQL ORDER BY list. */
export function compileOrderBy(orderBy: readonly string[]): SqlPart {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const entry of orderBy) {
    const m = /^\s*(.+?)(?:\s+(asc|desc))?\s*$/i.exec(entry);
    if (!m) throw new ValueError(`searchRuns: cannot parse orderBy entry '${entry}'`);
    const col = column('searchRuns', m[1], false);
    parts.push(`${col.sql} ${(m[2] ?? 'asc').toUpperCase()} NULLS LAST`);
    params.push(...col.params);
  }
  return { sql: parts.join(', '), params };
}
