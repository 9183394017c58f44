// Start GOV.UK Frontend's components. Every page works without this.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
