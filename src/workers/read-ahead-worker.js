// @ts-check
/**
 * Reads ahead for a job that works in batches, in a worker thread with its own read-only connection:
 * the pages the next batch will change are read here first, so that the batch on the bot's connection
 * finds them in the operating system's page cache instead of waiting for the disk on the event loop.
 * Plain JavaScript so that Node loads it as it is, from the sources and from dist/.
 *
 * Three kinds of reads:
 * - a named query from src/store (the rows a batch deletes);
 * - the file's pointer map (auto-vacuum): every page that a deletion frees, or that a rebalanced b-tree
 *   gives a new parent, has its entry rewritten there, and those pages are spread over the whole file;
 * - the file's last pages and the pages pointing to them: what an incremental vacuum step moves.
 * Pages are read from the database file; one whose newest copy is in the WAL is read there by SQLite,
 * from a file just written and so in the page cache already.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ path: string; queries: Record<string, string> }} */
const { path, queries } = workerData;

const db = new Database(path, { readonly: true, fileMustExist: true });
const statements = new Map(Object.entries(queries).map(([name, sql]) => [name, db.prepare(sql)]));
const file = openSync(path, 'r');
const header = Buffer.alloc(100);
readSync(file, header, 0, 100, 0);
const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
/** Pages whose parent one pointer-map page records, and the pointer-map page itself. */
const mapSpan = Math.floor((pageSize - header.readUInt8(20)) / 5) + 1;
const page = Buffer.alloc(pageSize);

/** @param {number} pageNumber 1-based, as SQLite numbers pages */
function readPage(pageNumber) {
  return readSync(file, page, 0, pageSize, (pageNumber - 1) * pageSize) === pageSize;
}

/**
 * The pointer-map page holding `pageNumber`'s entry (SQLite skips the page holding its lock byte).
 * @param {number} pageNumber
 */
function mapPageOf(pageNumber) {
  const mapPage = Math.floor((pageNumber - 2) / mapSpan) * mapSpan + 2;
  return mapPage === 1_073_741_824 / pageSize + 1 ? mapPage + 1 : mapPage;
}

const pageCount = () => /** @type {number} */ (db.pragma('page_count', { simple: true }));

function readPointerMap() {
  const pages = pageCount();
  let read = 0;
  for (let mapPage = 2; mapPage <= pages; mapPage += mapSpan) {
    readPage(mapPageOf(mapPage));
    read += 1;
  }
  return { pages: read };
}

/**
 * The last `count` pages of the file, then the parent of each (from its pointer-map entry).
 * @param {number} count
 */
function readTail(count) {
  const last = pageCount();
  const first = Math.max(3, last - count + 1);
  for (let pageNumber = first; pageNumber <= last; pageNumber += 1) readPage(pageNumber);
  const parents = new Set();
  let mapPage = 0;
  for (let pageNumber = first; pageNumber <= last; pageNumber += 1) {
    if (mapPageOf(pageNumber) === pageNumber) continue;
    if (mapPageOf(pageNumber) !== mapPage) {
      mapPage = mapPageOf(pageNumber);
      if (!readPage(mapPage)) break;
    }
    const parent = page.readUInt32BE(5 * (pageNumber - mapPage - 1) + 1);
    if (parent > 0 && parent < first) parents.add(parent);
  }
  for (const parent of parents) readPage(parent);
  return { pages: last - first + 1 + parents.size };
}

/**
 * @param {{ query: string; params: unknown[] } | { pointerMap: true } | { tail: number }} request
 */
function read(request) {
  if ('query' in request) {
    const statement = statements.get(request.query);
    if (!statement) throw new Error(`no read-ahead query named ${request.query}`);
    return statement.get(...request.params);
  }
  if ('pointerMap' in request) return readPointerMap();
  return readTail(request.tail);
}

parentPort?.on('message', (/** @type {Parameters<typeof read>[0] | 'stop'} */ message) => {
  if (message === 'stop') {
    closeSync(file);
    db.close();
    parentPort?.close();
    return;
  }
  parentPort?.postMessage({ threadId, row: read(message) });
});
