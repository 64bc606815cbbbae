// Entry point: each page part starts only where its markup is present.
import { drawCharts } from './charts.js';
import { drawTimeline } from './timeline.js';
import { linkRows } from './search.js';
import { startUpload } from './upload.js';
import { followRemoval } from './sources.js';

drawCharts(document);
linkRows(document);
const timeline = document.getElementById('timeline');
if (timeline && window.Chart) {
  drawTimeline(timeline);
}
startUpload(document);
followRemoval(document);
