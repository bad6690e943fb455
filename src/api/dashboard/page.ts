// The dashboard: one self-contained page (no external assets: nodes often have no internet).
// It polls /dashboard/state and streams chat from /v1/chat/completions.

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mesh · subnet dashboard</title>
<style>
  :root { --bg:#0f1419; --panel:#171e26; --line:#2a3440; --text:#d8dee6; --dim:#8a96a3; --accent:#4fb3ff; --ok:#46c079; --bad:#e5635b; --warn:#e0b341; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, Segoe UI, sans-serif; background:var(--bg); color:var(--text); }
  header { display:flex; align-items:baseline; gap:16px; padding:14px 20px; border-bottom:1px solid var(--line); }
  header h1 { font-size:18px; margin:0; } header .dim { color:var(--dim); }
  main { display:grid; grid-template-columns: minmax(0,2fr) minmax(320px,1fr); gap:16px; padding:16px 20px; }
  section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
  h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 10px; }
  table { width:100%; border-collapse:collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); white-space:nowrap; }
  th { color:var(--dim); font-weight:500; }
  td.peer { font-family:ui-monospace, monospace; font-size:12px; }
  .badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:12px; background:#243140; }
  .badge.hoster { background:#1d3b2b; color:var(--ok); } .badge.validator { background:#20324a; color:var(--accent); }
  .timeline { position:relative; height:34px; display:flex; border-radius:6px; overflow:hidden; margin:8px 0 4px; }
  .timeline div { display:flex; align-items:center; justify-content:center; font-size:11px; color:#0f1419; }
  .cursor { position:absolute; top:-3px; bottom:-3px; width:3px; background:#fff; box-shadow:0 0 6px #fff; transition:left .8s linear; }
  .row { display:flex; gap:18px; flex-wrap:wrap; color:var(--dim); } .row b { color:var(--text); }
  svg { width:100%; height:170px; }
  #chat-log { height:280px; overflow-y:auto; background:#0f1419; border:1px solid var(--line); border-radius:6px; padding:8px; white-space:pre-wrap; }
  #chat-log .user { color:var(--accent); } #chat-log .error { color:var(--bad); }
  form { display:flex; gap:8px; margin-top:8px; } input, select, button { background:#0f1419; color:var(--text); border:1px solid var(--line); border-radius:6px; padding:7px 9px; font:inherit; }
  input[type=text] { flex:1; min-width:0; } select { max-width:45%; } button { background:#1f4d70; cursor:pointer; } button:disabled { opacity:.5; }
  .ok { color:var(--ok); } .bad { color:var(--bad); } .dim { color:var(--dim); }
  .full { grid-column: 1 / -1; }
</style>
</head>
<body>
<header><h1>mesh</h1><span class="dim" id="subtitle">connecting…</span><span class="dim" id="status"></span></header>
<main>
  <section class="full">
    <h2>Epoch</h2>
    <div class="row"><span>epoch <b id="epoch">–</b></span><span>block <b id="block">–</b></span><span>phase <b id="phase">–</b></span><span>next epoch in <b id="remaining">–</b></span><span>elected validator <b id="elected">–</b></span></div>
    <div class="timeline" id="timeline">
      <div style="width:15%;background:#4fb3ff">propose · challenge</div>
      <div style="width:35%;background:#46c079">commit</div>
      <div style="width:10%;background:#e0b341">reveal</div>
      <div style="width:40%;background:#b48cf2">score · validator commit</div>
      <span class="cursor" id="cursor" style="left:0"></span>
    </div>
  </section>
  <section>
    <h2>Nodes</h2>
    <table><thead><tr><th>id</th><th>peer</th><th>role</th><th>class</th><th>stake</th><th>model</th><th>tok/s</th><th>queue</th><th>last score</th></tr></thead><tbody id="nodes"></tbody></table>
  </section>
  <section>
    <h2>Chat</h2>
    <div id="chat-log"></div>
    <form id="chat"><select id="model"></select><input type="text" id="prompt" placeholder="Ask the network…" autocomplete="off"><button id="send">Send</button></form>
    <form id="key-form"><input type="text" id="key" placeholder="API key (if the gateway needs one)" autocomplete="off"></form>
  </section>
  <section class="full">
    <h2>Attestation ratio and scores by epoch</h2>
    <svg id="chart" viewBox="0 0 800 170" preserveAspectRatio="none"></svg>
  </section>
  <section class="full">
    <h2>Epochs</h2>
    <table><thead><tr><th>epoch</th><th>challenge</th><th>commits</th><th>reveals</th><th>validator</th><th>submitted</th><th>attestation</th><th>audit failures</th><th>confirmed</th><th>scores</th></tr></thead><tbody id="epochs"></tbody></table>
    <p class="dim" id="audits"></p>
  </section>
</main>
<script>
const $ = (id) => document.getElementById(id)
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&':'&amp;', '<':'&lt;', '>':'&gt;', '"':'&quot;', "'":'&#39;' })[c])
const short = (p) => p.length > 16 ? p.slice(0, 8) + '…' + p.slice(-6) : p
const pct = (x) => x === null || x === undefined ? '–' : (100 * x).toFixed(1) + '%'
const phaseOf = (p) => p < 0.15 ? 'propose · challenge' : p < 0.5 ? 'commit' : p < 0.6 ? 'reveal' : 'score · validator commit'
$('key').value = localStorage.getItem('mesh-api-key') || ''
$('key').addEventListener('change', () => localStorage.setItem('mesh-api-key', $('key').value))
$('key-form').addEventListener('submit', (e) => e.preventDefault())

function render(s) {
  $('subtitle').textContent = 'subnet ' + s.subnetId + ' · ' + s.nodes.length + ' nodes'
  $('epoch').textContent = s.epoch
  $('block').textContent = s.block
  $('phase').textContent = phaseOf(s.progress)
  $('remaining').textContent = s.secondsRemaining.toFixed(0) + ' s'
  $('elected').textContent = s.electedValidator ?? 'none'
  $('cursor').style.left = (100 * s.progress) + '%'
  $('nodes').innerHTML = s.nodes.map((n) => '<tr><td>' + n.nodeId + '</td><td class="peer" title="' + esc(n.peerId) + '">' + esc(short(n.peerId)) +
    '</td><td>' + (n.role ? '<span class="badge ' + n.role + '">' + n.role + '</span>' : '<span class="dim">offline</span>') +
    '</td><td>' + esc(n.class) + '</td><td>' + esc(n.stake) + '</td><td class="peer" title="' + esc(n.model ?? '') + '">' + esc(n.model ? short(n.model) : '–') +
    '</td><td>' + (n.tokensPerSecond === null ? '–' : n.tokensPerSecond.toFixed(1)) + '</td><td>' + (n.queueLength ?? '–') +
    '</td><td>' + pct(n.lastScore) + '</td></tr>').join('')
  $('epochs').innerHTML = s.epochs.map((e) => '<tr><td>' + e.epoch + '</td><td>' + (e.challenge ? '<span class="ok">yes</span>' : '<span class="bad">no</span>') +
    '</td><td>' + e.commits + '</td><td>' + e.reveals + '</td><td>' + (e.validator ?? '–') + '</td><td>' + (e.submitted ? '<span class="ok">yes</span>' : '<span class="bad">no</span>') +
    '</td><td class="' + (e.attestationRatio !== null && e.attestationRatio >= 0.66 ? 'ok' : 'bad') + '">' + pct(e.attestationRatio) +
    '</td><td>' + e.auditFailures + '</td><td class="' + (e.auditConfirmed > 0 ? 'bad' : '') + '">' + e.auditConfirmed +
    '</td><td class="dim">' + Object.entries(e.scores).map(([id, v]) => id + ':' + pct(v)).join(' ') + '</td></tr>').join('')
  $('audits').textContent = s.audits ? 'audits by this gateway: ' + s.audits.audits + ' run, ' + s.audits.failures + ' failed (' +
    s.audits.published + ' published), ' + s.audits.confirmed + ' hosters with a confirmed failure' : ''
  const models = s.models.join('\\n')
  if ($('model').dataset.models !== models) {
    $('model').dataset.models = models
    $('model').innerHTML = s.models.map((m) => '<option>' + esc(m) + '</option>').join('')
  }
  chart(s.epochs.slice().reverse())
}

function chart(epochs) {
  const W = 800, H = 170, pad = 24
  if (epochs.length === 0) { $('chart').innerHTML = '<text x="10" y="20" fill="#8a96a3">no epoch yet</text>'; return }
  const x = (i) => pad + (epochs.length === 1 ? (W - 2 * pad) / 2 : i * (W - 2 * pad) / (epochs.length - 1))
  const y = (v) => H - pad - v * (H - 2 * pad)
  let svg = '<line x1="' + pad + '" x2="' + (W - pad) + '" y1="' + y(0.66) + '" y2="' + y(0.66) + '" stroke="#e0b341" stroke-dasharray="4 4"/>'
  svg += '<text x="' + (W - pad) + '" y="' + (y(0.66) - 4) + '" fill="#e0b341" font-size="11" text-anchor="end">66%</text>'
  const ids = [...new Set(epochs.flatMap((e) => Object.keys(e.scores)))]
  const max = Math.max(1e-9, ...epochs.flatMap((e) => Object.values(e.scores)))
  ids.forEach((id, k) => {
    const pts = epochs.map((e, i) => e.scores[id] === undefined ? null : x(i) + ',' + y(e.scores[id] / max)).filter(Boolean)
    svg += '<polyline fill="none" stroke="hsl(' + (k * 67 % 360) + ' 60% 60%)" stroke-opacity=".55" stroke-width="1.5" points="' + pts.join(' ') + '"/>'
  })
  const ratio = epochs.map((e, i) => e.attestationRatio === null ? null : x(i) + ',' + y(e.attestationRatio)).filter(Boolean)
  svg += '<polyline fill="none" stroke="#4fb3ff" stroke-width="3" points="' + ratio.join(' ') + '"/>'
  epochs.forEach((e, i) => { svg += '<text x="' + x(i) + '" y="' + (H - 6) + '" fill="#8a96a3" font-size="11" text-anchor="middle">' + e.epoch + '</text>' })
  $('chart').innerHTML = svg
}

async function poll() {
  try {
    const res = await fetch('/dashboard/state')
    if (!res.ok) throw new Error('HTTP ' + res.status)
    render(await res.json())
    $('status').textContent = '· live'
  } catch (err) {
    $('status').textContent = '· ' + err.message
  }
}
poll()
setInterval(poll, 2000)

const history = []
function line(cls, text) { const d = document.createElement('div'); d.className = cls; d.textContent = text; $('chat-log').append(d); $('chat-log').scrollTop = 1e9; return d }
$('chat').addEventListener('submit', async (e) => {
  e.preventDefault()
  const prompt = $('prompt').value.trim()
  if (!prompt) return
  $('prompt').value = ''; $('send').disabled = true
  history.push({ role: 'user', content: prompt })
  line('user', '› ' + prompt)
  const out = line('assistant', '')
  try {
    const headers = { 'Content-Type': 'application/json' }
    if ($('key').value) headers.Authorization = 'Bearer ' + $('key').value
    const res = await fetch('/v1/chat/completions', { method: 'POST', headers, body: JSON.stringify({ model: $('model').value, messages: history, stream: true, max_tokens: 128 }) })
    if (!res.ok) throw new Error((await res.json()).error?.message ?? 'HTTP ' + res.status)
    const reader = res.body.getReader(); const dec = new TextDecoder(); let buf = ''
    for (;;) {
      const { done, value } = await reader.read(); if (done) break
      buf += dec.decode(value, { stream: true })
      let i
      while ((i = buf.indexOf('\\n\\n')) >= 0) {
        const ev = buf.slice(0, i); buf = buf.slice(i + 2)
        if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue
        const msg = JSON.parse(ev.slice(6))
        if (msg.error) throw new Error(msg.error.message)
        out.textContent += msg.choices[0]?.delta?.content ?? ''
      }
    }
    history.push({ role: 'assistant', content: out.textContent })
  } catch (err) {
    out.className = 'error'; out.textContent = 'error: ' + err.message
    history.pop()
  } finally { $('send').disabled = false }
})
</script>
</body>
</html>
`
