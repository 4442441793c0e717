// Number and time formatting shared by the pages; "–" stands for a value the cluster does not report.
const Fmt = {
  dash: "–",
  bytes(v) {
    if (v === null || v === undefined) return Fmt.dash;
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + " " + units[i];
  },
  rate(v) { return v === null || v === undefined ? Fmt.dash : Fmt.bytes(v) + "/s"; },
  count(v) { return v === null || v === undefined ? Fmt.dash : Number(v).toLocaleString("en-US"); },
  perSec(v) { return v === null || v === undefined ? Fmt.dash : (v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US")) + "/s"; },
  clock(ms) {
    const d = new Date(ms);
    const p = (n, w) => String(n).padStart(w, "0");
    return p(d.getHours(), 2) + ":" + p(d.getMinutes(), 2) + ":" + p(d.getSeconds(), 2) + "." + p(d.getMilliseconds(), 3);
  },
  esc(s) {
    return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },
};
