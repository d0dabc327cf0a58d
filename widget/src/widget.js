/**
 * Council resident assistant: accessible chat widget.
 *
 * Add it to a page with one script tag, for example
 *   <script src="/widget/widget.js" data-council-name="Shropshire Council" defer></script>
 * or set window.CouncilAssistantConfig before the script runs. README.md lists the options.
 *
 * This file is a classic script that loads the widget's ES modules from modules/ beside it, so
 * the embed stays one plain script tag and nothing is bundled. modules/main.js is the entry.
 *
 * The widget talks to the gateway over socket.io with the events in docs/gateway-protocol.md.
 * Safety rules that every module keeps:
 * - Text from the server is only ever written with textContent, never parsed as HTML or markdown.
 * - Links come only from message.links, button payloads and service_answer source URLs, and only
 *   https, mailto and tel addresses become clickable (see toSafeHref in modules/safe-links.js).
 *   A URL inside message text stays plain text.
 */
(function () {
  'use strict';

  if (window.CouncilAssistant) {
    return;
  }

  // document.currentScript is null inside modules, so the tag is found here and passed on.
  const $script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const scriptUrl = $script && $script.src ? $script.src : new URL('/widget/widget.js', window.location.href).href;
  const entryUrl = new URL('modules/main.js', scriptUrl).href;

  let controls = null;
  let pendingAction = null;

  /**
   * Runs open or close now, or once the widget is on the page. Only the latest request waits.
   * @param {string} action open or close
   */
  function request(action) {
    if (controls) {
      controls[action]();
    } else {
      pendingAction = action;
    }
  }

  window.CouncilAssistant = {
    open: function () { request('open'); },
    close: function () { request('close'); },
  };

  // Modules load in CORS mode, so a page on another origin needs the gateway's
  // Access-Control-Allow-Origin header on /widget/ files, which gateway/website.py sends.
  import(entryUrl).then(function (entry) {
    return entry.startWidget($script);
  }, function (error) {
    console.error('Council assistant: failed to load ' + entryUrl + ': ' + (error && error.message));
    return null;
  }).then(function (started) {
    // An error inside startWidget is not caught here, so the browser reports it as uncaught.
    controls = started;
    if (controls && pendingAction) {
      controls[pendingAction]();
      pendingAction = null;
    }
  });
})();
