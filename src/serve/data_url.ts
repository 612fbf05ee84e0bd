// Images arrive inline as data URLs (RFC 2397, base64). Remote URLs are refused on
// purpose: fetching them would make the server a proxy for whoever can reach it (SSRF)
// and tie a request's latency to a third party.
import sharp from 'sharp';
import type { RgbImage } from '../data/document.js';
import { decodeImage } from '../data/image.js';
import { ApiError } from './errors.js';

export interface ImageLimits {
  /** Largest decoded file (PNG/JPEG/WebP bytes, not base64 characters). */
  maxImageBytes: number;
  /** Largest width × height; a small PNG can inflate to gigabytes of pixels. */
  maxImagePixels: number;
}

const DATA_URL = /^data:(image\/(?:png|jpeg|jpg|webp));base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decode one `image_url.url`; `param` (e.g. messages[0].content[1].image_url) is named in errors. */
export async function imageFromUrl(url: string, param: string, limits: ImageLimits): Promise<RgbImage> {
  const bytes = bytesFromDataUrl(url, param, limits.maxImageBytes);
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes).metadata());
  } catch (err) {
    throw invalidImage(param, (err as Error).message);
  }
  if (!width || !height) throw invalidImage(param, 'it has no width/height');
  if (width * height > limits.maxImagePixels) {
    throw new ApiError(
      400,
      `Image ${param} is ${width}×${height} = ${width * height} pixels; this server accepts at most ${limits.maxImagePixels}. Downscale it first (the model sees it at a few hundred pixels anyway).`,
      param,
      'image_too_large',
    );
  }
  try {
    return await decodeImage(bytes, param);
  } catch (err) {
    throw new ApiError(400, (err as Error).message, param, 'invalid_image');
  }
}

function bytesFromDataUrl(url: string, param: string, maxBytes: number): Buffer {
  if (/^https?:/i.test(url)) {
    throw new ApiError(
      400,
      `Image ${param} is a remote URL; mm1 serve does not fetch URLs. Send the image inline as a data URL, e.g. "data:image/png;base64,<base64 of the file>".`,
      param,
      'image_url_not_supported',
    );
  }
  const head = DATA_URL.exec(url);
  if (!head) {
    throw new ApiError(
      400,
      `Image ${param} must be a base64 data URL of a PNG, JPEG or WebP file ("data:image/png;base64,..."); got "${url.slice(0, 40)}${url.length > 40 ? '…' : ''}".`,
      param,
      'invalid_image_url',
    );
  }
  const payload = url.slice(head[0].length);
  // Size check before decoding, so an oversized upload costs no allocation.
  const decodedBytes = Math.floor((payload.length * 3) / 4) - (payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0);
  if (decodedBytes > maxBytes) {
    throw new ApiError(
      400,
      `Image ${param} is ${decodedBytes} bytes; this server accepts at most ${maxBytes} per image. Compress or downscale it.`,
      param,
      'image_too_large',
    );
  }
  // Buffer.from(…, 'base64') skips invalid characters silently; check them so a mangled upload is named.
  if (payload.length % 4 !== 0 || !BASE64.test(payload)) {
    throw new ApiError(
      400,
      `Image ${param}: the data URL's base64 payload is malformed (invalid characters or length not a multiple of 4).`,
      param,
      'invalid_image_url',
    );
  }
  return Buffer.from(payload, 'base64');
}

function invalidImage(param: string, why: string): ApiError {
  return new ApiError(400, `Cannot decode image ${param}: ${why.trim()}. Send a valid PNG, JPEG or WebP file.`, param, 'invalid_image');
}
