// echarts.js — ECharts (a classic script the server embeds at
// /vendor/echarts.min.js, defining the global `echarts`), loaded on first
// use by the pages that draw charts. loadECharts() resolves to it.
let loading = null;

export function loadECharts() {
  loading ??= new Promise((resolve, reject) => {
    if (window.echarts) {
      resolve(window.echarts);
      return;
    }
    const script = document.createElement('script');
    script.src = new URL('../vendor/echarts.min.js', import.meta.url).href;
    script.async = true;
    script.addEventListener('load', () => (window.echarts ? resolve(window.echarts) : reject(new Error('图表组件加载失败'))));
    script.addEventListener('error', () => {
      script.remove();
      loading = null; // a lost connection: the next page may try again
      reject(new Error('图表组件加载失败，请检查网络后刷新重试'));
    });
    document.head.append(script);
  });
  return loading;
}
