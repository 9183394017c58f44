// Mark the page as having JavaScript before it renders (GOV.UK Frontend's convention).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
