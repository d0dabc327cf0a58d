// Live updates for the agent desk. Pages work without this script; it only polls for new
// queue rows and messages, and sends replies without reloading the page.
(function () {
  "use strict";

  var QUEUE_POLL_MS = 5000;
  var TRANSCRIPT_POLL_MS = 2000;

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) {
          window.location.href = "/desk/login?expired=1";
          throw new Error("session ended");
        }
        if (!response.ok) {
          throw new Error("request failed with HTTP " + response.status);
        }
        return response.json();
      });
  }

  function pollQueue(body) {
    var status = document.getElementById("queue-status");
    var lastCount = null;
    function tick() {
      getJson(body.dataset.pollUrl).then(function (data) {
        body.innerHTML = data.html;
        if (status && lastCount !== null && data.waiting !== lastCount) {
          status.textContent = data.waiting + " waiting";
        }
        lastCount = data.waiting;
      }).catch(function () {}).then(function () {
        window.setTimeout(tick, QUEUE_POLL_MS);
      });
    }
    window.setTimeout(tick, QUEUE_POLL_MS);
  }

  function pollTranscript(list) {
    var state = document.getElementById("conversation-state");
    var connected = document.getElementById("resident-connected");
    function tick() {
      var url = list.dataset.pollUrl + "?after=" + encodeURIComponent(list.dataset.after);
      getJson(url).then(function (data) {
        if (data.html && data.html.trim()) {
          list.insertAdjacentHTML("beforeend", data.html);
        }
        list.dataset.after = data.last_id;
        if (state) { state.textContent = data.state.replace(/_/g, " "); }
        if (connected) { connected.textContent = data.connected ? "Connected" : "Not connected"; }
      }).catch(function () {}).then(function () {
        window.setTimeout(tick, TRANSCRIPT_POLL_MS);
      });
    }
    window.setTimeout(tick, TRANSCRIPT_POLL_MS);
  }

  function enhanceReply(form) {
    var status = document.getElementById("reply-status");
    var textarea = form.querySelector("textarea");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      status.textContent = "Sending…";
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(data),
        headers: { Accept: "application/json", "X-CSRF-Token": data.get("csrf_token") },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(body.error || "Sending failed."); }
          textarea.value = "";
          status.textContent = "Sent.";
          textarea.focus();
        });
      }).catch(function (error) {
        status.textContent = error.message;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var queue = document.getElementById("queue-rows");
    if (queue) { pollQueue(queue); }
    var transcript = document.getElementById("transcript");
    if (transcript) { pollTranscript(transcript); }
    var reply = document.getElementById("reply-form");
    if (reply) { enhanceReply(reply); }
  });
}());
