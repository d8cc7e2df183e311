import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

/** A ustar header for one regular file of `size` bytes (the checksum computed as POSIX says). */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512, 0);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/**
 * Writes an npm-style .tgz holding one `package/data.bin` of `inflatedBytes` zeros: a few MiB on
 * disk, `inflatedBytes` once inflated. Generated as a stream, so the bench never holds it.
 */
export async function writeCompressionBomb(file: string, inflatedBytes: number): Promise<void> {
  const chunk = Buffer.alloc(1024 * 1024, 0);
  async function* tar(): AsyncGenerator<Buffer> {
    yield tarHeader('package/package.json', 2);
    yield Buffer.concat([Buffer.from('{}'), Buffer.alloc(510, 0)]);
    yield tarHeader('package/data.bin', inflatedBytes);
    for (let left = inflatedBytes; left > 0; left -= chunk.byteLength) yield left >= chunk.byteLength ? chunk : chunk.subarray(0, left);
    const padding = (512 - (inflatedBytes % 512)) % 512;
    yield Buffer.alloc(padding + 1024, 0);
  }
  await pipeline(Readable.from(tar()), createGzip({ level: 9 }), createWriteStream(file));
}
