/**
 * Turns an upload into what is served: the image itself in its own format, auto-oriented from
 * EXIF, stripped of metadata (EXIF, GPS, XMP, ICC: sharp writes none unless asked) and bounded
 * to DISPLAY_MAX_SIDE; and a WebP thumbnail bounded to THUMBNAIL_MAX_SIDE, made from the first
 * frame of an animation. Images are never enlarged.
 *
 * An animated GIF that already fits is kept byte for byte (re-encoding a GIF costs quality and
 * often size, and GIF has no EXIF block to leak); every frame is still decoded once to prove it
 * is an image. Animated WebP is always re-encoded, since WebP can carry EXIF and XMP.
 *
 * Decompression bombs are refused from the header, before any pixel is decoded: sharp's
 * `limitInputPixels` counts every frame of an animation. A time limit bounds the rest.
 */
import sharp from 'sharp';
import { errors } from '@agora/kit/errors';
import { CONTENT_TYPES, sniffImageFormat, type ImageFormat } from './sniff-image-type.ts';

export const DISPLAY_MAX_SIDE = 2048;
export const THUMBNAIL_MAX_SIDE = 320;
export const THUMBNAIL_CONTENT_TYPE = 'image/webp';
const PROCESSING_TIMEOUT_SECONDS = 30;

export interface Rendition {
  bytes: Buffer;
  width: number;
  height: number;
}

export interface ProcessedImage {
  format: ImageFormat;
  contentType: string;
  image: Rendition;
  thumbnail: Rendition;
}

export interface ImageLimits {
  maxInputPixels: number;
}

export const unsupportedType = () =>
  errors.unsupportedMediaType('MEDIA.UNSUPPORTED_TYPE', 'Only JPEG, PNG, WebP and GIF images are accepted', {
    detail: 'The type is judged from the file’s content, not its name or declared type',
  });

export async function processImage(bytes: Buffer, limits: ImageLimits): Promise<ProcessedImage> {
  const format = sniffImageFormat(bytes);
  if (!format) throw unsupportedType();
  const input: sharp.SharpOptions = { failOn: 'error', limitInputPixels: limits.maxInputPixels };

  const metadata = await refusingBadInput(sharp(bytes, { ...input, animated: true }).metadata(), limits);
  if (metadata.format !== format || !metadata.width || !metadata.height) throw invalidImage();
  const animated = (metadata.pages ?? 1) > 1;
  const frameHeight = animated ? (metadata.pageHeight ?? metadata.height) : metadata.height;

  let image: Rendition;
  if (animated && format === 'gif' && Math.max(metadata.width, frameHeight) <= DISPLAY_MAX_SIDE) {
    await refusingBadInput(sharp(bytes, { ...input, animated: true }).timeout({ seconds: PROCESSING_TIMEOUT_SECONDS }).stats(), limits);
    image = { bytes, width: metadata.width, height: frameHeight };
  } else {
    const pipeline = sharp(bytes, { ...input, animated, autoOrient: true })
      .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
      .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside', withoutEnlargement: true });
    const { data, info } = await refusingBadInput(encode(pipeline, format).toBuffer({ resolveWithObject: true }), limits);
    image = { bytes: data, width: info.width, height: animated ? (info.pageHeight ?? info.height) : info.height };
  }

  // From the served image: already oriented and bounded, so the thumbnail decodes far fewer pixels.
  const thumbnailed = await refusingBadInput(
    sharp(image.bytes, input)
      .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
      .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true }),
    limits,
  );
  const thumbnail = { bytes: thumbnailed.data, width: thumbnailed.info.width, height: thumbnailed.info.height };
  return { format, contentType: CONTENT_TYPES[format], image, thumbnail };
}

function encode(pipeline: sharp.Sharp, format: ImageFormat): sharp.Sharp {
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: 85, progressive: true });
    case 'png':
      return pipeline.png();
    case 'webp':
      return pipeline.webp({ quality: 85 });
    case 'gif':
      return pipeline.gif();
  }
}

const invalidImage = (cause?: unknown) =>
  errors.badRequest('MEDIA.INVALID_IMAGE', 'The file is not a readable image', {
    detail: 'Its first bytes name an image type, but the image does not decode',
    cause,
  });

/** Whatever sharp refuses is a property of the input: too many pixels, too slow, or not decodable. */
async function refusingBadInput<T>(work: Promise<T>, limits: ImageLimits): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw errors.tooLarge('MEDIA.TOO_LARGE', 'The image has too many pixels', { detail: `At most ${limits.maxInputPixels} pixels (all frames together) are accepted`, cause: error });
    }
    if (/timeout/i.test(message)) {
      throw errors.tooLarge('MEDIA.TOO_LARGE', 'The image takes too long to process', { cause: error });
    }
    throw invalidImage(error);
  }
}
