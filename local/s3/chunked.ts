/**
 * `Content-Encoding: aws-chunked` bodies with `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`,
 * what the SDK v3 sends for a stream body when it adds a checksum by default: the bytes in chunks of
 * `<hex size>\r\n<data>\r\n`, a zero-size chunk, then trailing headers (the checksum) and an empty line.
 *
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 *
 * The decoder streams: it holds at most one header or trailer line, never a chunk's data.
 * Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) are refused by the server before this.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { badRequest } from './errors';

/** Longest chunk-size or trailer line accepted (a checksum trailer is well under 100 bytes). */
const MAX_LINE = 4096;

const incomplete = (why: string) => badRequest('IncompleteBody', `The aws-chunked body is malformed: ${why}`);

export class AwsChunkedDecoder extends Transform {
  /** Trailing headers, lower-cased names, once the body has ended. */
  readonly trailers: Record<string, string> = {};
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private line = '';
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      let i = 0;
      while (i < chunk.length) {
        if (this.state === 'data') {
          const take = Math.min(this.remaining, chunk.length - i);
          this.push(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'data-end';
          continue;
        }
        if (this.state === 'done') throw incomplete('bytes after the final CRLF');
        // A line: chunk size, the CRLF after data, or a trailer.
        const lf = chunk.indexOf(0x0a, i);
        const end = lf < 0 ? chunk.length : lf;
        this.line += chunk.toString('latin1', i, end);
        if (this.line.length > MAX_LINE) throw incomplete('a line is too long');
        i = end;
        if (lf < 0) break;
        i += 1;
        if (!this.line.endsWith('\r')) throw incomplete('a line does not end with CRLF');
        const text = this.line.slice(0, -1);
        this.line = '';
        this.onLine(text);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private onLine(text: string): void {
    switch (this.state) {
      case 'size': {
        // "<hex>" or "<hex>;chunk-signature=..." (the latter only with signed chunks, refused earlier).
        const m = /^([0-9a-fA-F]{1,16})(;.*)?$/.exec(text);
        if (!m) throw incomplete('a chunk size is not hexadecimal');
        if (m[2] !== undefined) throw incomplete('chunk signatures are not expected with an unsigned payload');
        this.remaining = parseInt(m[1], 16);
        if (!Number.isSafeInteger(this.remaining)) throw incomplete('a chunk size is too large');
        this.state = this.remaining === 0 ? 'trailer' : 'data';
        return;
      }
      case 'data-end':
        if (text !== '') throw incomplete('a chunk is longer than its size');
        this.state = 'size';
        return;
      case 'trailer': {
        if (text === '') {
          this.state = 'done';
          return;
        }
        const colon = text.indexOf(':');
        if (colon <= 0) throw badRequest('MalformedTrailerError', 'The request contained trailing data that was not well-formed.');
        this.trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
        return;
      }
      default:
        throw incomplete('unexpected line');
    }
  }

  override _flush(done: TransformCallback): void {
    // Some clients end after the trailers without the final empty line; the trailers are complete then.
    if (this.state === 'done' || (this.state === 'trailer' && this.line === '')) done();
    else done(incomplete('the body ended before the final chunk'));
  }
}
