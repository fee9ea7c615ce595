// photo.js — a photo from the phone's camera, made small on the phone
// before it is kept or sent: at most MAX_SIDE pixels on its longer side,
// re-encoded as JPEG (a 12-megapixel photo of 4–6 MB becomes ~300 KB, which
// a weak signal can carry and IndexedDB can hold by the dozen).
const MAX_SIDE = 1600;
const QUALITY = 0.8;

// Resolves to a JPEG Blob; rejects with a Chinese message when the file is
// not a picture the browser can read.
export async function shrinkPhoto(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`无法读取图片「${file.name}」，请换一张照片（须为 JPEG、PNG 或 WebP）`);
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  if (!blob) throw new Error(`无法压缩图片「${file.name}」`);
  return blob;
}

// The photos input of a form: <input type=file accept=image/* capture>.
export const PHOTO_INPUT = { type: 'file', accept: 'image/*', capture: 'environment', multiple: true };
