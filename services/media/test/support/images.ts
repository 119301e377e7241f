/**
 * Real images for the tests, made with sharp, and multipart bodies built by hand (so a test
 * controls every byte: part names, declared types, file names, boundaries).
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Noise compresses badly, so sizes and decoding are realistic. */
function noise(width: number, height: number, channels: 3 | 4 = 3): Buffer {
  return randomBytes(width * height * channels);
}

const raw = (width: number, height: number, channels: 3 | 4 = 3) => sharp(noise(width, height, channels), { raw: { width, height, channels } });

/** A JPEG with EXIF orientation 6 (shown rotated 90° clockwise) and a GPS position. */
export async function jpegWithOrientationAndGps(width: number, height: number): Promise<Buffer> {
  const withGps = await raw(width, height)
    .withExif({
      IFD0: { Make: 'AgoraTestCam', Model: 'Secret Model' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 3230/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 4366/100' },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
  return sharp(withGps).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
}

export const png = (width: number, height: number, options: { alpha?: boolean } = {}) => raw(width, height, options.alpha ? 4 : 3).png().toBuffer();
export const webp = (width: number, height: number) => raw(width, height).webp({ quality: 80 }).toBuffer();
export const jpeg = (width: number, height: number) => raw(width, height).jpeg({ quality: 80 }).toBuffer();
export const staticGif = (width: number, height: number) => raw(width, height).gif().toBuffer();

/** An animated GIF of `frames` frames, each a different solid colour. */
export async function animatedGif(width: number, height: number, frames: number): Promise<Buffer> {
  const pages = await Promise.all(
    Array.from({ length: frames }, (_, index) =>
      sharp({ create: { width, height, channels: 3, background: { r: (index * 80) % 256, g: 40, b: 255 - ((index * 80) % 256) } } }).png().toBuffer(),
    ),
  );
  return sharp(pages, { join: { animated: true } }).gif({ delay: 100 }).toBuffer();
}

/** An animated WebP carrying EXIF (WebP, unlike GIF, has a place for it). */
export async function animatedWebpWithExif(width: number, height: number, frames: number): Promise<Buffer> {
  const pages = await Promise.all(Array.from({ length: frames }, () => raw(width, height).png().toBuffer()));
  return sharp(pages, { join: { animated: true } })
    .withExif({ IFD0: { Make: 'AgoraTestCam', Model: 'Secret Model' } })
    .webp({ quality: 80 })
    .toBuffer();
}

/**
 * The shape of a decompression bomb: a small, well-formed PNG whose header claims
 * `width` × `height` pixels (only a few rows of data follow, which is all a header check sees).
 */
export function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc((1 + width * 3) * 4))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal but well-formed PDF. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

export interface Part {
  name: string;
  /** Omitted: a plain field rather than a file. */
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

export interface MultipartBody {
  body: Buffer;
  headers: Record<string, string>;
}

export function multipart(parts: Part[], boundary = `----agora-test-${randomBytes(8).toString('hex')}`): MultipartBody {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const head = [`--${boundary}`, `Content-Disposition: ${disposition}`, ...(part.contentType ? [`Content-Type: ${part.contentType}`] : []), '', ''].join('\r\n');
    chunks.push(Buffer.from(head, 'latin1'), Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The usual upload: one part named `file`. */
export const fileForm = (data: Buffer, filename = 'upload.bin', contentType = 'application/octet-stream'): MultipartBody =>
  multipart([{ name: 'file', filename, contentType, data }]);

/** Does the buffer hold EXIF with a GPS block, or the test camera's strings? */
export function carriesMetadata(bytes: Buffer): boolean {
  return bytes.includes('AgoraTestCam') || bytes.includes('Secret Model') || bytes.includes(Buffer.from('Exif\0\0', 'latin1'));
}
