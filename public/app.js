// Progressive enhancement only: every page works without this file.
import { initAll } from '/public/generated/govuk-frontend.min.js';

initAll();
