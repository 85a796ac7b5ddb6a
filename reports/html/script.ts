/**
 * The report's script (inlined, plain DOM, no libraries): filters of the index, and per
 * scenario a timeline drawn when the scenario is opened. The timeline has a time ruler in clock
 * time (UTC), one lane per line (frames sent above the lane's middle, received-differently
 * below, faults as red triangles) and one per event source (cloud records, notifications,
 * states as coloured bands). Zoom with + / −, Ctrl+wheel or a double-click; pan by dragging or
 * with ◀ ▶; jump to a burst of activity with the select. Clicking a frame shows its hex and
 * printable text with the bytes that broke a rule marked; evidence links open their frame.
 */
/** The inlined script (see the file comment). */
export const REPORT_JS = String.raw`
(function(){
'use strict';
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]})}
var CTRL=['NUL','SOH','STX','ETX','EOT','ENQ','ACK','BEL','BS','HT','LF','VT','FF','CR','SO','SI','DLE','DC1','DC2','DC3','DC4','NAK','SYN','ETB','CAN','EM','SUB','ESC','FS','GS','RS','US'];
function chr(b){return b<32?'<'+CTRL[b]+'>':b<127?String.fromCharCode(b):'.'}
var STEPS=[0.1,0.2,0.5,1,2,5,10,20,50,100,200,500,1e3,2e3,5e3,1e4,15e3,3e4,6e4,12e4,3e5,6e5,9e5,18e5,36e5,72e5,108e5,216e5,432e5,864e5,1728e5,6048e5];

// index filters
var filter='all',needle='';
function applyFilter(){
  document.querySelectorAll('[data-verdict]').forEach(function(el){
    var v=el.dataset.verdict;var ok=filter==='all'||(filter==='bad'?(v==='failed'||v==='error'):v===filter);
    var name=(el.querySelector('summary')||el).textContent.toLowerCase();
    el.hidden=!(ok&&(!needle||name.indexOf(needle)>=0));
  });
}
document.querySelectorAll('[data-filter]').forEach(function(b){b.addEventListener('click',function(){filter=b.dataset.filter;document.querySelectorAll('[data-filter]').forEach(function(x){x.classList.toggle('on',x===b)});applyFilter()})});
var find=document.querySelector('input.find');if(find)find.addEventListener('input',function(){needle=find.value.trim().toLowerCase();applyFilter()});

function Timeline(sec){
  var d=JSON.parse(document.getElementById(sec.dataset.d).textContent);
  var box=sec.querySelector('.svgbox'),detail=sec.querySelector('.detail'),table=sec.querySelector('.frames'),sel=sec.querySelector('select.window');
  var L=150,LH=26,TOP=22;
  var a=0,b=Math.max(d.span,1),selected=-1;
  var laneIx={};d.lanes.forEach(function(l,i){laneIx[l.id]=i});
  var H=TOP+LH*d.lanes.length+8;
  function width(){return Math.max(640,box.clientWidth||1100)}
  function clock(ms,step){var iso=new Date(d.start+ms).toISOString();var s=iso.slice(11,step<1e3?23:19);if(b-a>864e5)s=iso.slice(5,10)+' '+iso.slice(11,16);return s}
  // bursts of activity: frames and events closer than a minute form one window
  var items=d.frames.map(function(f){return [f.t,f.t+f.d]}).concat(d.events.filter(function(e){return e.kind!=='state'}).map(function(e){return [e.t,e.t]})).sort(function(x,y){return x[0]-y[0]});
  var ws=[];items.forEach(function(x){var w=ws[ws.length-1];if(w&&x[0]-w[1]<6e4)w[1]=Math.max(w[1],x[1]);else ws.push([x[0],x[1]])});
  var o=document.createElement('option');o.value='';o.textContent=ws.length+' bursts';sel.appendChild(o);
  ws.slice(0,500).forEach(function(w,i){var o=document.createElement('option');o.value=i;o.textContent=clock(w[0],1)+' … '+clock(w[1],1)+' ('+((w[1]-w[0])/1e3).toFixed(1)+' s)';sel.appendChild(o)});
  sel.addEventListener('change',function(){if(sel.value==='')return;var w=ws[+sel.value];var pad=Math.max(200,(w[1]-w[0])*0.05);setView(w[0]-pad,w[1]+pad)});
  function setView(na,nb){var min=0.5;if(nb-na<min){var c=(na+nb)/2;na=c-min/2;nb=c+min/2}var lo=-d.span*0.05,hi=d.span*1.05;if(nb-na>hi-lo){na=lo;nb=hi}if(na<lo){nb+=lo-na;na=lo}if(nb>hi){na-=nb-hi;nb=hi}a=na;b=nb;draw()}
  function zoom(f,at){var c=at===undefined?(a+b)/2:at;setView(c-(c-a)*f,c+(b-c)*f)}
  function laneY(id){return TOP+laneIx[id]*LH}
  function draw(){
    var W=width(),sc=(W-L-10)/(b-a);var x=function(t){return L+(t-a)*sc};
    var s='<svg width="'+W+'" height="'+H+'" xmlns="http://www.w3.org/2000/svg"><rect class="bg" x="0" y="0" width="'+W+'" height="'+H+'"/>';
    var step=STEPS.find(function(v){return v*sc>=110})||STEPS[STEPS.length-1];
    for(var t=Math.ceil(a/step)*step;t<=b;t+=step){var X=x(t).toFixed(1);s+='<line class="rule" x1="'+X+'" x2="'+X+'" y1="14" y2="'+H+'"/><text class="tick" x="'+X+'" y="11" text-anchor="middle">'+esc(clock(t,step))+'</text>'}
    s+='<text class="tick" x="4" y="11">UTC</text>';
    d.lanes.forEach(function(l,i){var y=TOP+i*LH;s+='<text class="lane-label" x="4" y="'+(y+16)+'">'+esc(l.id.length>22?l.id.slice(0,21)+'…':l.id)+'<title>'+esc(l.id)+'</title></text><line class="lane" x1="'+L+'" x2="'+W+'" y1="'+(y+LH-1)+'" y2="'+(y+LH-1)+'"/>'});
    // state bands: each state lasts until the next one of its lane
    var last={};d.events.forEach(function(e,i){if(e.kind==='state')last[e.lane]=i});
    d.events.forEach(function(e,i){if(e.kind!=='state')return;var next=d.events.slice(i+1).find(function(n){return n.lane===e.lane&&n.kind==='state'});var t1=next?next.t:d.span;if(t1<a||e.t>b)return;var x0=Math.max(L,x(e.t)),x1=Math.min(W,x(t1));
      s+='<rect class="band '+(e.level||'mid')+'" x="'+x0.toFixed(1)+'" y="'+(laneY(e.lane)+5)+'" width="'+Math.max(1,x1-x0).toFixed(1)+'" height="14"><title>'+esc(clock(e.t,1)+' '+e.lane+': '+e.text)+'</title></rect>';
      if(x1-x0>60)s+='<text class="band-label" x="'+(x0+3).toFixed(1)+'" y="'+(laneY(e.lane)+16)+'">'+esc(e.text.slice(0,Math.floor((x1-x0)/6)))+'</text>'});
    var shown=[];
    d.frames.forEach(function(f,k){if(f.t+f.d<a||f.t>b)return;shown.push(k);var y=laneY(f.line)+(f.dir==='rx'?13:4);
      s+='<rect class="frame '+f.dir+(f.bad?' err':'')+(k===selected?' sel':'')+'" data-k="'+k+'" x="'+x(f.t).toFixed(1)+'" y="'+y+'" width="'+Math.max(2,f.d*sc).toFixed(1)+'" height="8"><title>'+esc(clock(f.t,1)+' '+f.who+': '+(f.text||(f.hex.length/2)+' bytes'))+'</title></rect>'});
    d.events.forEach(function(e){if(e.kind==='state'||e.t<a||e.t>b)return;var X=x(e.t),y=laneY(e.lane)+12,tip='<title>'+esc(clock(e.t,1)+' '+e.lane+': '+e.text)+'</title>';
      if(e.kind==='fault')s+='<path class="ev fault" d="M'+X.toFixed(1)+','+(y-8)+'l5,9h-10z">'+tip+'</path><line class="fault-line" x1="'+X.toFixed(1)+'" x2="'+X.toFixed(1)+'" y1="'+(y+1)+'" y2="'+(y+12)+'"/>';
      else if(e.kind==='notify')s+='<rect class="ev notify" x="'+(X-4).toFixed(1)+'" y="'+(y-4)+'" width="8" height="8">'+tip+'</rect>';
      else s+='<circle class="ev '+e.kind+(e.level?' '+e.level:'')+'" cx="'+X.toFixed(1)+'" cy="'+y+'" r="4">'+tip+'</circle>'});
    d.links.forEach(function(l){var f=d.frames[l.k];if(!f||f.t<a||f.t>b)return;var X=x(f.t+f.d).toFixed(1);s+='<line class="evidence-line" x1="'+X+'" x2="'+X+'" y1="14" y2="'+H+'"/><text class="evidence-label" x="'+X+'" y="'+(H-2)+'">✗ evidence</text>'});
    box.innerHTML=s+'</svg>';
    sec.querySelector('.range').textContent=clock(a,1)+' … '+clock(b,1)+' ('+((b-a)/1e3).toFixed(3)+' s)';
    sec.querySelector('.count').textContent=shown.length+' frames in view'+(d.omitted?'; '+d.omitted+' frames of the run sampled out (the trace file has them)':'');
    var rows=shown.slice(0,300).map(function(k){var f=d.frames[k];return '<tr class="'+(f.bad?'err ':'')+(k===selected?'sel':'')+'" data-k="'+k+'"><td>'+esc(clock(f.t,1))+'</td><td>+'+(f.t/1e3).toFixed(3)+' s</td><td>'+esc(f.line)+'</td><td>'+esc(f.who)+(f.dir==='tx'?' →':' ←')+'</td><td>'+esc(f.settings)+'</td><td>'+esc((f.flags||[]).join(' '))+'</td><td>'+esc(f.text||'')+'</td></tr>'});
    table.innerHTML='<table><tr><th>UTC</th><th>from start</th><th>line</th><th>who</th><th>settings</th><th>flags</th><th>decoded</th></tr>'+rows.join('')+'</table>'+(shown.length>300?'<p class="meta">first 300 of '+shown.length+' frames in view; zoom in for the rest</p>':'');
  }
  function show(k){var f=d.frames[k];if(!f)return;selected=k;var o=f.o||0,n=f.n||f.hex.length/2,marks={};(f.marks||[]).forEach(function(m){marks[m[0]]=(marks[m[0]]?marks[m[0]]+'; ':'')+m[1]});
    var out=esc(f.who)+' '+(f.dir==='tx'?'sent':'received')+' at '+esc(new Date(d.start+f.t).toISOString())+' (+'+(f.t/1e3).toFixed(6)+' s), '+esc(f.settings)+', '+n+' bytes'+(f.flags?' ['+esc(f.flags.join(' '))+']':'')+'\n'+esc(f.text||'(not decoded)')+'\n';
    (f.marks||[]).forEach(function(m){out+='<span class="why">byte '+m[0]+': '+esc(m[1])+'</span>\n'});
    if(o>0||f.hex.length/2<n)out+='showing bytes '+o+'…'+(o+f.hex.length/2-1)+' of '+n+'\n';
    for(var r=0;r<f.hex.length/2;r+=16){var hx='',tx='';for(var i=r;i<Math.min(r+16,f.hex.length/2);i++){var by=parseInt(f.hex.substr(i*2,2),16),abs=o+i,c=esc(f.hex.substr(i*2,2)),p=esc(chr(by));
        if(marks[abs]!==undefined){c='<mark title="'+esc('byte '+abs+': '+marks[abs])+'">'+c+'</mark>';p='<mark>'+p+'</mark>'}hx+=c+' ';tx+=p}
      out+=String(o+r).padStart(6)+'  '+hx+' '.repeat(Math.max(0,(16-Math.min(16,f.hex.length/2-r))*3))+' '+tx+'\n'}
    detail.innerHTML=out;var mk=detail.querySelector('mark');detail.scrollTop=mk?Math.max(0,mk.offsetTop-detail.offsetTop-60):0;draw()}
  function showFrame(k,center){var f=d.frames[k];if(!f)return;if(center&&(f.t<a||f.t+f.d>b||(b-a)>Math.max(2e4,f.d*40))){var w=Math.max(3000,f.d*8);setView(f.t+f.d/2-w/2,f.t+f.d/2+w/2)}show(k)}
  box.addEventListener('click',function(e){var el=e.target.closest('[data-k]');if(el&&!moved)show(+el.dataset.k)});
  table.addEventListener('click',function(e){var el=e.target.closest('[data-k]');if(el)show(+el.dataset.k)});
  var dragX=null,moved=false;
  box.addEventListener('pointerdown',function(e){dragX=e.clientX;moved=false});
  window.addEventListener('pointerup',function(){dragX=null});
  box.addEventListener('pointermove',function(e){if(dragX===null)return;var dx=e.clientX-dragX;if(Math.abs(dx)<3&&!moved)return;moved=true;var W=width(),dt=dx/(W-L-10)*(b-a);dragX=e.clientX;setView(a-dt,b-dt)});
  box.addEventListener('wheel',function(e){if(!e.ctrlKey&&!e.metaKey)return;e.preventDefault();var r=box.getBoundingClientRect(),W=width();zoom(e.deltaY<0?0.7:1/0.7,a+(e.clientX-r.left-L)/(W-L-10)*(b-a))},{passive:false});
  box.addEventListener('dblclick',function(e){var r=box.getBoundingClientRect(),W=width();zoom(e.shiftKey?4:0.25,a+(e.clientX-r.left-L)/(W-L-10)*(b-a))});
  sec.querySelector('.controls').addEventListener('click',function(e){var act=e.target.dataset&&e.target.dataset.act;if(!act)return;if(act==='in')zoom(0.5);if(act==='out')zoom(2);if(act==='fit')setView(0,d.span);if(act==='left')setView(a-(b-a)/2,b-(b-a)/2);if(act==='right')setView(a+(b-a)/2,b+(b-a)/2)});
  setView(0,d.span);
  if(d.links.length)showFrame(d.links[0].k,true);
  else if(d.focus!==undefined){var w=ws.find(function(w){return d.focus>=w[0]-1e3&&d.focus<=w[1]+1e3});if(w)setView(w[0]-500,w[1]+500);else setView(d.focus-5e3,d.focus+5e3)}
  return {el:sec,showFrame:showFrame};
}
function timeline(det){var sec=det&&det.querySelector('section.timeline');if(!sec)return null;if(!sec._tl)sec._tl=Timeline(sec);return sec._tl}
document.querySelectorAll('details.scenario').forEach(function(det){if(det.open)timeline(det);det.addEventListener('toggle',function(){if(det.open)timeline(det)})});
document.addEventListener('click',function(e){var g=e.target.closest&&e.target.closest('a.goto');if(!g)return;e.preventDefault();var det=document.getElementById('s'+g.dataset.s);det.open=true;var tl=timeline(det);if(!tl)return;tl.showFrame(+g.dataset.k,true);tl.el.scrollIntoView({block:'start'})});
})();
`;
