import { PassThrough, type TransformCallback } from "node:stream";

/*
 * What React's streaming renderer writes, passed on in the batches React means. React writes a
 * page in 2 KB pieces and calls `flush()` on its destination when a batch is complete (the shell,
 * then each boundary that resolves). Remix flushes the response after every piece it reads, and
 * each flush ends a block of the compressed stream: the buyer's page (150 KB of HTML) went out as
 * ~75 flushed blocks, 16.6 KB with brotli and 54 KB with gzip, against 13 KB and 16 KB in one
 * go (ADR 041). This stream holds the pieces until React flushes, so a page is still streamed at
 * every point React chose, and compressed in whole batches.
 */
export class FlushBatches extends PassThrough {
  private pending: Buffer[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.pending.push(chunk);
    callback();
  }

  /** React's signal that a batch is complete: pass it on as one piece. */
  flush() {
    if (this.pending.length === 0) return;
    this.push(Buffer.concat(this.pending));
    this.pending = [];
  }

  override _flush(callback: TransformCallback) {
    this.flush();
    callback();
  }
}
