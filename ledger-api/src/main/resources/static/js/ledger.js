// Charts from data the server rendered into the page (data-chart attribute), and progress for long uploads.
// Outcomes (units) on the start axis, money on the end axis when a chart shows both; mirrored for right-to-left.
function scales(spec, rtl) {
  var result = { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? 'right' : 'left' } };
  if (spec.datasets.some(function (d) { return d.yAxisID === 'money'; })) {
    result.money = { beginAtZero: true, position: rtl ? 'left' : 'right', grid: { drawOnChartArea: false } };
  }
  return result;
}

document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var spec = JSON.parse(canvas.getAttribute('data-chart'));
    var rtl = document.documentElement.dir === 'rtl';
    new Chart(canvas, {
      type: spec.type || 'line',
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        locale: document.documentElement.lang,
        plugins: { legend: { rtl: rtl, position: 'bottom' } },
        scales: scales(spec, rtl)
      }
    });
  });
});
// A long upload (a large CSV) shows that it is under way: the form's progress bar runs and its button waits.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form.hasAttribute('data-progress')) {
    var bar = form.querySelector('progress');
    if (bar) { bar.hidden = false; }
    form.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
  }
});
