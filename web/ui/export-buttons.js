// export-buttons.js — 导出 Excel / 导出 CSV for a server table at `path`:
// real links (so "save link as" works too), but a click fetches the file so
// that a failure shows here rather than as a downloaded error page.
import { h } from './dom.js';
import { getFile, apiUrl } from '../api.js';
import { errorAlert } from './notice.js';
import { saveFile } from './save-file.js';

export function exportButtons({ path, params, name, signal, formats = ['xlsx', 'csv'] }) {
  const alertBox = h('div', { class: 'export-alert' });
  const link = (format, label) => {
    const a = h('a', { class: 'button small', href: apiUrl(path, { ...params, format }), download: `${name}.${format}` }, label);
    a.addEventListener('click', async (event) => {
      event.preventDefault();
      if (a.getAttribute('aria-disabled') === 'true') return;
      alertBox.replaceChildren();
      a.setAttribute('aria-disabled', 'true');
      try {
        const { blob } = await getFile(a.href, { signal });
        saveFile(blob, `${name}.${format}`);
      } catch (error) {
        if (!signal.aborted) alertBox.append(errorAlert(new Error(`导出失败：${error.message}`)));
      } finally {
        a.removeAttribute('aria-disabled');
      }
    });
    return a;
  };
  const labels = { xlsx: '导出 Excel', csv: '导出 CSV' };
  return h('div', { class: 'export-buttons' }, ...formats.map((f) => link(f, labels[f])), alertBox);
}
