/**
 * Rows on disk: one JSON object per line. Lines are appended as rows finish, so a run that is
 * interrupted keeps every finished row; at worst its last line is cut short, and readers drop that
 * line (and say so) instead of failing.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredRow } from './types.js';

export class RowFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowFileError';
  }
}

export interface ReadResult {
  rows: StoredRow[];
  /** A last line that was cut short by an interruption and ignored. */
  truncatedLine: boolean;
}

function isStoredRow(v: unknown): v is StoredRow {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.experiment === 'string' &&
    typeof r.key === 'string' &&
    Number.isInteger(r.part) &&
    Number.isInteger(r.parts)
  );
}

export function readRows(file: string): ReadResult {
  if (!existsSync(file)) throw new RowFileError(`${file}: no such file`);
  const lines = readFileSync(file, 'utf8').split('\n');
  const rows: StoredRow[] = [];
  let truncatedLine = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const isLast = lines.slice(i + 1).every((l) => l.trim() === '');
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (isLast) {
        truncatedLine = true;
        return;
      }
      throw new RowFileError(`${file}:${i + 1}: not valid JSON (only the last line may be cut short)`);
    }
    if (!isStoredRow(value)) {
      throw new RowFileError(
        `${file}:${i + 1}: not a resode row (needs experiment, key, index, part and parts)`,
      );
    }
    rows.push(value);
  });
  return { rows, truncatedLine };
}

const toLines = (rows: readonly StoredRow[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

export function appendRows(file: string, rows: readonly StoredRow[]): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, toLines(rows));
}

/** Replaces the file's content atomically (write to a temporary file, then rename). */
export function writeRows(file: string, rows: readonly StoredRow[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, toLines(rows));
  renameSync(tmp, file);
}
