/** The report page's stylesheet (inlined): system fonts, tabular numbers, category colours. */
import { CATEGORY_COLORS } from '../graph.js';

const catRules = Object.entries(CATEGORY_COLORS)
  .filter(([k]) => k !== '')
  .map(([k, c]) => `.cat-${k}{background:${c}1a;color:${c};border-color:${c}55}`)
  .join('');

export const PAGE_CSS = `
:root{--bg:#f4f6fb;--card:#fff;--ink:#0f172a;--ink2:#475569;--muted:#94a3b8;--line:#e2e8f0;--accent:#4f46e5;--exit:#f59e0b;--held:#64748b;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","DejaVu Sans",Arial,sans-serif}
*{box-sizing:border-box}
html,body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 var(--sans);-webkit-font-smoothing:antialiased}
[hidden]{display:none!important}
.wrap{max-width:1360px;margin:0 auto;padding:0 24px}
code{font-family:var(--mono);font-size:12px}
.top{background:linear-gradient(135deg,#0f172a,#1e1b4b);color:#e2e8f0;padding:28px 0 22px}
.top h1{margin:4px 0 6px;font-size:26px;font-weight:650;letter-spacing:-.01em;color:#fff}
.eyebrow{font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:#a5b4fc}
.eyebrow code{color:#c7d2fe;text-transform:none;letter-spacing:0}
.lede{margin:0;max-width:980px;color:#cbd5e1}.lede b{color:#fff}
.toolbar{position:sticky;top:0;z-index:10;background:rgba(255,255,255,.92);backdrop-filter:blur(6px);border-bottom:1px solid var(--line)}
.toolbar .wrap{display:flex;align-items:center;gap:12px;padding-top:10px;padding-bottom:10px}
.toolbar-label{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--ink2)}
.toolbar-hint{font-size:12px;color:var(--ink2)}
.tabs{display:inline-flex;background:#eef2ff;border-radius:10px;padding:3px;gap:2px;flex-wrap:wrap}
.tab{border:0;background:transparent;padding:6px 14px;border-radius:8px;font:600 13px var(--sans);color:#4338ca;cursor:pointer}
.tab:hover{background:#e0e7ff}.tab.active{background:var(--accent);color:#fff;box-shadow:0 1px 3px rgba(79,70,229,.4)}
main{padding:20px 0 40px}
section{margin:0 0 18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:18px 20px;box-shadow:0 1px 2px rgba(15,23,42,.04)}
.card h2{margin:0 0 12px;font-size:15px;font-weight:650}
.h-sub{font-weight:500;color:var(--ink2);font-size:12px;margin-left:6px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.grid12{display:grid;grid-template-columns:minmax(380px,1fr) 2fr;gap:18px}
.grid2>section,.grid12>section{margin:0}
.grid2,.grid12{margin-bottom:18px}
@media (max-width:1000px){.grid2,.grid12{grid-template-columns:1fr}}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:14px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:14px 16px;border-top:3px solid var(--accent)}
.kpi-exit{border-top-color:var(--exit)}.kpi-held{border-top-color:var(--held)}
.kpi-label{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--ink2)}
.kpi-value{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums;margin:2px 0}
.kpi-value .dec{font-size:14px;font-weight:500}.kpi-value .unit{font-size:13px;font-weight:500;color:var(--ink2)}
.kpi-sub{font-size:12px;color:var(--ink2)}
.scroll{overflow-x:auto}.scroll.tall{max-height:520px;overflow-y:auto}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data th,table.data td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;white-space:nowrap}
table.data thead th{position:sticky;top:0;background:#f8fafc;font-size:11px;text-transform:uppercase;letter-spacing:.05em;
color:var(--ink2);font-weight:600}
table.data tbody tr:hover{background:#f8fafc}
table.data .num{text-align:right;font-variant-numeric:tabular-nums}
table.totals tbody th{font-weight:500;color:var(--ink2)}
table.kv th{width:38%;color:var(--ink2);font-weight:500}
td.memos{white-space:normal;min-width:220px}
.dec{color:var(--muted)}
.memo{display:inline-block;background:#f1f5f9;border-radius:6px;padding:1px 7px;margin:1px 4px 1px 0;font-size:12px}
.addr b{font-weight:600;margin-right:4px}.addr code{color:var(--ink2)}
.badge{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 8px;font-size:11px;font-weight:600;
background:#f1f5f9}
${catRules}
.bar{display:inline-block;width:60px;height:6px;border-radius:3px;background:#fde68a66;margin-right:8px;vertical-align:middle;
overflow:hidden}.bar rect{fill:var(--exit)}
.muted{color:var(--muted)}
.note{font-size:12px;color:var(--ink2);margin:8px 0 0}
.chart{width:100%;min-height:300px}
.chart svg{display:block;width:100%;height:auto;font-family:var(--sans)}
.chart text{font-size:11px;fill:var(--ink2)}
.chart .lbl{fill:var(--ink);font-weight:600}
.graph-head{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
.graph-head h2{margin:0}
.controls{display:flex;gap:16px;align-items:center;font-size:13px;color:var(--ink2)}
.controls input[type=range]{vertical-align:middle;width:140px}
.controls button,button.more{border:1px solid var(--line);background:#fff;border-radius:8px;padding:5px 12px;
font:500 13px var(--sans);cursor:pointer;color:var(--ink)}
.controls button:hover,button.more:hover{background:#f1f5f9}
button.more{margin-top:10px}
.graph-body{display:grid;grid-template-columns:1fr 380px;gap:14px;margin-top:12px}
@media (max-width:1000px){.graph-body{grid-template-columns:1fr}}
.graph{height:620px;border:1px solid var(--line);border-radius:12px;background:radial-gradient(circle at 50% 40%,#ffffff,#f1f5f9)}
.panel{border:1px solid var(--line);border-radius:12px;padding:14px;height:620px;overflow:auto;font-size:13px;background:#fff}
.panel h3{margin:0 0 2px;font-size:15px}
.panel h4{margin:14px 0 6px;font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--ink2)}
.panel .addrline{font-family:var(--mono);font-size:11px;color:var(--ink2);word-break:break-all}
.panel dl{display:grid;grid-template-columns:auto 1fr;gap:3px 12px;margin:8px 0}
.panel dt{color:var(--ink2)}.panel dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
.step{border-left:2px solid var(--exit);padding:2px 0 6px 10px;margin-left:4px;position:relative}
.step::before{content:"";position:absolute;left:-5px;top:7px;width:8px;height:8px;border-radius:50%;background:var(--exit)}
.step .hash{font-family:var(--mono);font-size:11px;color:var(--ink2);word-break:break-all}
.path{border-left:3px solid #7c3aed;padding:3px 0 5px 8px;margin:4px 0 6px 2px;cursor:pointer;font-size:12px}
.path.picked{background:rgba(124,58,237,.08)}
.path .hop{font-family:var(--mono);font-size:11px;color:var(--ink2)}
.txl{width:100%;border-collapse:collapse;font-size:12px}.txl td{padding:3px 4px;border-bottom:1px solid var(--line);vertical-align:top}
.txl .in{color:#16a34a}.txl .out{color:#dc2626}.txl .t{color:#b45309;font-weight:600}
.graph-foot{display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap;align-items:flex-start;margin-top:10px}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;color:var(--ink2)}
.legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;vertical-align:-1px}
.legend .ring{background:#fff;border:2.5px solid var(--exit)}
.foot{font-size:12px;color:var(--muted);text-align:center;margin-top:24px}
`;
