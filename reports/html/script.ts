/**
 * The report's script (inlined): draws each scenario's timeline for the chosen activity window
 * and shows a frame's bytes on click. Plain DOM, no libraries.
 */
export const REPORT_JS = String.raw`
(function(){
  function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]})}
  function printable(hex){var out='';for(var i=0;i<hex.length;i+=2){var b=parseInt(hex.substr(i,2),16);var n=['NUL','SOH','STX','ETX','EOT','ENQ','ACK','BEL','BS','HT','LF','VT','FF','CR','SO','SI','DLE','DC1','DC2','DC3','DC4','NAK','SYN','ETB','CAN','EM','SUB','ESC','FS','GS','RS','US'];out+=b<32?'<'+n[b]+'>':b<127?String.fromCharCode(b):'<0x'+hex.substr(i,2)+'>'}return out}
  function windows(d){var items=d.frames.map(function(f){return [f.t,f.end]}).concat(d.events.map(function(e){return [e.t,e.t]})).sort(function(a,b){return a[0]-b[0]});var out=[];items.forEach(function(x){var w=out[out.length-1];if(w&&x[0]-w[1]<60000)w[1]=Math.max(w[1],x[1]);else out.push([x[0],x[1]])});return out}
  document.querySelectorAll('section.timeline').forEach(function(sec){
    var d=JSON.parse(document.getElementById(sec.dataset.digest).textContent);
    var sel=sec.querySelector('select.window');var ws=windows(d);
    var all=document.createElement('option');all.value='all';all.textContent='whole run';sel.appendChild(all);
    ws.forEach(function(w,i){var o=document.createElement('option');o.value=i;o.textContent='+'+((w[0]-d.start)/1000).toFixed(1)+' s … +'+((w[1]-d.start)/1000).toFixed(1)+' s';sel.appendChild(o)});
    var fw=d.focus===undefined?-1:ws.findIndex(function(w){return d.focus>=w[0]-1000&&d.focus<=w[1]+1000});
    if(fw>=0)sel.value=String(fw);else if(ws.length>1)sel.value='0';
    var lanes=d.lines.concat(Array.from(new Set(d.events.map(function(e){return e.lane}))).filter(function(l){return d.lines.indexOf(l)<0}));
    function draw(){
      var w=sel.value==='all'?[d.start,d.end]:ws[+sel.value];var pad=Math.max(50,(w[1]-w[0])*0.03);var a=w[0]-pad,b=w[1]+pad;
      var W=1100,L=130,H=22*lanes.length+30;var x=function(t){return L+(t-a)/(b-a)*(W-L-10)};
      var s='<svg width="'+W+'" height="'+H+'" xmlns="http://www.w3.org/2000/svg">';
      lanes.forEach(function(l,i){var y=10+i*22;s+='<text class="lane-label" x="4" y="'+(y+14)+'">'+esc(l)+'</text><line class="lane" x1="'+L+'" x2="'+W+'" y1="'+(y+20)+'" y2="'+(y+20)+'"/>'});
      var shown=[];
      d.frames.forEach(function(f,k){if(f.end<a||f.t>b)return;shown.push(k);var y=10+lanes.indexOf(f.line)*22+(f.dir==='rx'?10:2);var err=f.flags.length&&f.flags.some(function(x){return !/^echo|^sent/.test(x)});
        s+='<rect class="frame '+f.dir+(err?' err':'')+'" data-k="'+k+'" x="'+x(f.t).toFixed(1)+'" y="'+y+'" width="'+Math.max(1.5,x(f.end)-x(f.t)).toFixed(1)+'" height="8"><title>'+esc(f.who+' '+f.text)+'</title></rect>'});
      d.events.forEach(function(e){if(e.t<a||e.t>b)return;var y=10+lanes.indexOf(e.lane)*22+10;s+='<circle class="ev '+e.kind+'" cx="'+x(e.t).toFixed(1)+'" cy="'+y+'" r="4"><title>'+esc(e.text)+'</title></circle>'});
      s+='<text class="tick" x="'+L+'" y="'+(H-4)+'">+'+((a-d.start)/1000).toFixed(2)+' s</text><text class="tick" x="'+(W-90)+'" y="'+(H-4)+'">+'+((b-d.start)/1000).toFixed(2)+' s</text></svg>';
      sec.querySelector('.svgbox').innerHTML=s;
      sec.querySelector('.count').textContent=shown.length+' frames in window'+(d.omitted?' ('+d.omitted+' frames of the run sampled out; see the trace file)':'');
      var rows=shown.slice(0,400).map(function(k){var f=d.frames[k];var err=f.flags.length&&f.flags.some(function(x){return !/^echo|^sent/.test(x)});return '<tr class="'+(err?'err':'')+'" data-k="'+k+'"><td>+'+((f.t-d.start)/1000).toFixed(3)+'</td><td>'+esc(f.line)+'</td><td>'+esc(f.who)+(f.dir==='tx'?' →':' ←')+'</td><td>'+esc(f.settings)+'</td><td>'+esc(f.flags.join(' '))+'</td><td>'+esc(f.text)+'</td></tr>'});
      sec.querySelector('.frames').innerHTML='<table>'+rows.join('')+'</table>';
      sec.querySelectorAll('[data-k]').forEach(function(el){el.addEventListener('click',function(){show(+el.dataset.k)})});
    }
    function show(k){var f=d.frames[k];var lines=[];for(var i=0;i<f.hex.length;i+=48){var h=f.hex.substr(i,48);lines.push(String(i/2).padStart(6)+'  '+h.replace(/(..)/g,'$1 ').padEnd(72)+printable(h))}
      sec.querySelector('.detail').textContent=f.who+' '+(f.dir==='tx'?'sent':'received')+' at +'+((f.t-d.start)/1000).toFixed(6)+' s, '+f.settings+(f.flags.length?' ['+f.flags.join(' ')+']':'')+'\n'+f.text+'\n'+lines.join('\n');
      sec.querySelectorAll('rect.frame').forEach(function(r){r.classList.toggle('sel',+r.dataset.k===k)})}
    sel.addEventListener('change',draw);draw();
  });
})();
`;
