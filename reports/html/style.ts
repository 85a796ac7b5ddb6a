/** The report's stylesheet, inlined so the file opens offline. */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header,nav,main{max-width:1280px;margin:0 auto;padding:0 16px}
h1{font-size:20px;margin:16px 0 4px}h2{font-size:16px;margin:12px 0 4px}
code{font-family:ui-monospace,monospace;font-size:12px}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-weight:600;font-size:12px}
.badge.passed{background:#d8f3dc;color:#1b4332}.badge.failed,.badge.error{background:#ffd6d6;color:#7a0010}.badge.skipped{background:#e9ecef;color:#495057}
.summary .totals{font-size:15px;margin:6px 0}
.facts,.shards{border-collapse:collapse;font-size:13px;margin:4px 0}.facts th,.shards th{text-align:left;color:#5c6773;font-weight:500;padding:1px 12px 1px 0;vertical-align:top}.facts td,.shards td{padding:1px 12px 1px 0}
.shards{margin-top:8px}.shards th{border-bottom:1px solid #dde1e6}
.shots{display:flex;flex-wrap:wrap;gap:10px}.shots figure{margin:0}.shots img{border:1px solid #dde1e6;display:block}
.filters{margin:10px 0 2px}.filters button{font:inherit;font-size:12px;border:1px solid #c9ced6;background:#fff;border-radius:4px;padding:1px 8px;margin-right:4px;cursor:pointer}.filters button.on{background:#1d2430;color:#fff}
.find{font:inherit;font-size:12px;padding:1px 6px;border:1px solid #c9ced6;border-radius:4px}
.index{columns:2;font-size:13px;padding-left:24px}.index a{color:inherit;text-decoration:none}.index a:hover{text-decoration:underline}
details.scenario{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:10px 0;padding:6px 12px}
details.scenario.failed,details.scenario.error{border-color:#e5989b}
summary{cursor:pointer;font-weight:600}summary .when{font-weight:400;color:#5c6773;font-size:12px;margin-left:6px}
.meta,.stats{color:#5c6773;font-size:12px;margin:4px 0}.reason{color:#7a0010}
.first-failure{border-left:4px solid #c1121f;background:#fff5f5;padding:6px 10px;margin:8px 0;font-size:13px}
.expectations{list-style:none;padding-left:4px}.expectations li{margin:3px 0}
.expectations .bad .mark{color:#c1121f;font-weight:700}.expectations .ok .mark{color:#2d6a4f}
.msg{color:#7a0010;font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap}
.evidence{font-size:12px;color:#333}.hex{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
a.goto{font-size:12px;margin-left:6px}
mark{background:#ffb703;font-weight:700;color:#000}
.plots{display:flex;flex-wrap:wrap;gap:8px}.plot{margin:4px}figcaption{font-size:12px;color:#5c6773}
.axis{stroke:#888}.grid{stroke:#eceff2}.tick{font-size:10px;fill:#555}.series{fill:none;stroke:#1d6fb8;stroke-width:1.5}.dot{fill:#1d6fb8}
.timeline .controls{margin:8px 0 4px;font-size:12px}.timeline .controls button{font:inherit;min-width:26px;border:1px solid #c9ced6;background:#fff;border-radius:4px;margin-right:2px;cursor:pointer}
.timeline .range,.timeline .count{color:#5c6773;margin-left:8px}
.timeline .svgbox{overflow:hidden;border:1px solid #e3e6ea;background:#fbfcfd;user-select:none;cursor:grab}
.bg{fill:#fbfcfd}.rule{stroke:#eef0f3}.lane-label{font-size:11px;fill:#333}.lane{stroke:#e3e6ea}
.frame{cursor:pointer}.frame.tx{fill:#4a90d9}.frame.rx{fill:#e76f51}.frame.err{fill:#c1121f}.frame.sel{stroke:#000;stroke-width:2}
.ev{fill:#6a4c93}.ev.fault{fill:#c1121f}.fault-line{stroke:#c1121f;stroke-dasharray:2 2}.ev.note{fill:#f4a261}.ev.record{fill:#2d6a4f}.ev.record.bad,.ev.bad{fill:#c1121f}.ev.notify{fill:#7b2cbf}
.band.ok{fill:#b7e4c7}.band.bad{fill:#ffb3b3}.band.mid{fill:#e9ecef}.band-label{font-size:10px;fill:#1d2430;pointer-events:none}
.evidence-line{stroke:#c1121f;stroke-width:1.5}.evidence-label{font-size:10px;fill:#c1121f}
.legend{font-size:11px;color:#5c6773;margin:3px 0}.lg{display:inline-block;width:10px;height:8px;margin:0 3px 0 10px;vertical-align:middle}
.lg.tx{background:#4a90d9}.lg.rx{background:#e76f51}.lg.err{background:#c1121f}.lg.fault{background:#c1121f;clip-path:polygon(50% 0,100% 100%,0 100%)}.lg.rec{background:#2d6a4f;border-radius:50%}.lg.notify{background:#7b2cbf}.lg.state-ok{background:#b7e4c7}.lg.state-bad{background:#ffb3b3;margin-left:0}
.detail{font-family:ui-monospace,monospace;font-size:12px;white-space:pre;overflow-x:auto;background:#f1f3f5;padding:6px;margin:6px 0;max-height:420px}
.detail .why{color:#7a0010;font-weight:600}
.frames{max-height:320px;overflow:auto}.frames table{border-collapse:collapse;font-size:12px;width:100%}.frames th{text-align:left;color:#5c6773;font-weight:500;position:sticky;top:0;background:#fff}
.frames td{border-top:1px solid #eee;padding:2px 6px;vertical-align:top;cursor:pointer}.frames td:nth-child(-n+5){white-space:nowrap}.frames tr.err td{background:#fff0f0}.frames tr.sel td{background:#fff3c4}
`;
