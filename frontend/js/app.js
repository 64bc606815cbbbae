// Entry point: each page part starts only where its markup is present.
import { drawCharts } from './charts.js';

drawCharts(document);
