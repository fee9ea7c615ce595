// upload.js — evidence files (photos, PDFs): a file picker and the upload
// of what it holds. Each file goes to POST /api/v1/files, which answers the
// digest a step or comment then attaches it by ({sha256, name}); the server
// checks the bytes, so the checks here only spare a slow, doomed upload.
import { h } from './dom.js';
import { sendFile } from '../api.js';
import { field } from './form.js';

export const FILE_TYPES = 'image/jpeg,image/png,image/webp,application/pdf';
const MAX_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 10;

// A field named `name` for choosing up to ten photos or PDFs.
export function filesField(label = '附件（照片或 PDF）', name = 'files') {
  return field(label, h('input', { type: 'file', name, class: 'input', accept: FILE_TYPES, multiple: true }),
    { hint: `JPEG、PNG、WebP 或 PDF，每个不超过 8 MB，最多 ${MAX_FILES} 个` });
}

// Uploads the chosen files in order; resolves to [{sha256, name}].
// Refusals carry field 'files' so the form shows them at the picker.
export async function uploadFiles(input, { signal } = {}) {
  const files = [...(input?.files ?? [])];
  const refuse = (message) => Object.assign(new Error(message), { field: input.name });
  if (files.length > MAX_FILES) throw refuse(`一次最多附 ${MAX_FILES} 个文件`);
  for (const file of files) {
    if (file.size > MAX_BYTES) throw refuse(`“${file.name}”超过 8 MB`);
    if (file.type && !FILE_TYPES.split(',').includes(file.type)) throw refuse(`“${file.name}”不是照片或 PDF`);
  }
  const refs = [];
  for (const file of files) {
    try {
      const answer = await sendFile('/api/v1/files', file, { signal });
      refs.push({ sha256: answer.sha256, name: file.name });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw Object.assign(error, { field: input.name, message: `“${file.name}”：${error.message}` });
    }
  }
  return refs;
}

// The files of a timeline event: photos as thumbnails, others as links.
export function fileList(files) {
  if (!files?.length) return null;
  return h('ul', { class: 'file-list' }, files.map((f) => h('li', {},
    h('a', { href: f.url, target: '_blank', rel: 'noopener' },
      f.type.startsWith('image/') ? h('img', { src: f.url, alt: f.name, class: 'file-thumb', loading: 'lazy' }) : null,
      h('span', { class: 'file-name' }, f.name),
      h('span', { class: 'muted' }, ` ${sizeText(f.size)}`)))));
}

const sizeText = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);
