/** The report's stylesheet, inlined so the file opens offline. */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header,nav,main{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:20px;margin:16px 0 4px}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-weight:600;font-size:12px}
.badge.passed{background:#d8f3dc;color:#1b4332}.badge.failed,.badge.error{background:#ffd6d6;color:#7a0010}.badge.skipped{background:#e9ecef;color:#495057}
.index{columns:2;font-size:13px;padding-left:20px}.index a{color:inherit;text-decoration:none}
details.scenario{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:10px 0;padding:6px 12px}
details.scenario.failed,details.scenario.error{border-color:#e5989b}
summary{cursor:pointer;font-weight:600}
.meta,.stats{color:#5c6773;font-size:12px;margin:4px 0}.reason{color:#7a0010}
.expectations{list-style:none;padding-left:4px}.expectations li{margin:3px 0}
.expectations .bad .mark{color:#c1121f;font-weight:700}.expectations .ok .mark{color:#2d6a4f}
.msg{color:#7a0010;font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap}
.evidence{font-size:12px;color:#333}.hex{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
mark{background:#ffb703;font-weight:700}
.plots{display:flex;flex-wrap:wrap;gap:8px}.plot{margin:4px}figcaption{font-size:12px;color:#5c6773}
.axis{stroke:#888}.tick{font-size:10px;fill:#555}.series{fill:none;stroke:#1d6fb8;stroke-width:1.5}
.timeline .svgbox{overflow-x:auto;border:1px solid #e3e6ea;background:#fbfcfd}
.lane-label{font-size:11px;fill:#333}.lane{stroke:#eceff2}
.frame{cursor:pointer}.frame.tx{fill:#4a90d9}.frame.rx{fill:#e76f51}.frame.err{fill:#c1121f}.frame.sel{stroke:#000;stroke-width:1.5}
.ev{fill:#6a4c93}.ev.note{fill:#f4a261}
.detail{font-family:ui-monospace,monospace;font-size:12px;white-space:pre;overflow-x:auto;background:#f1f3f5;padding:6px;margin:6px 0}
.frames table{border-collapse:collapse;font-size:12px;width:100%}.frames td{border-top:1px solid #eee;padding:2px 6px;vertical-align:top}
.frames tr.err td{background:#fff0f0}
`;
