/**
 * @file Message rendering: senders, links, quick replies and the widget's own notes. Text from
 * the server is set with textContent, and links go through createSafeLink, so a URL inside
 * message text stays plain text.
 */

import { config } from './config.js';
import { sendEvent } from './connection.js';
import { RESIDENT_SENDERS } from './constants.js';
import { createElement } from './elements.js';
import { formatClock, toDate } from './format.js';
import { isLogNearEnd, scrollLogToEnd } from './log.js';
import { createSafeLink, toSafeHref } from './safe-links.js';
import { dom, state } from './state.js';
import { addToTranscript } from './transcript.js';

/**
 * Returns the visible name for a message's sender.
 * @param {object} message
 * @returns {string}
 */
export function senderName(message) {
  if (isResidentMessage(message)) {
    return 'You';
  }
  if (message.sender === 'agent') {
    const agent = message.agent || state.agent;
    return agent && agent.first_name ? agent.first_name + ' (adviser)' : 'Adviser';
  }
  if (message.sender === 'system') {
    return 'Chat update';
  }
  return 'Automated assistant';
}

/**
 * Tells whether a message was written by the resident.
 * @param {object} message
 * @returns {boolean}
 */
export function isResidentMessage(message) {
  return RESIDENT_SENDERS.includes(message.sender);
}

/**
 * Tells whether a message id is already on screen.
 * @param {object} message
 * @returns {boolean}
 */
export function seenId(message) {
  return message.id !== undefined && message.id !== null && state.seenIds.has(String(message.id));
}

/**
 * Records a message id as on screen.
 * @param {object} message
 */
export function markSeen(message) {
  if (message.id !== undefined && message.id !== null) {
    state.seenIds.add(String(message.id));
  }
}

/**
 * Renders one message into the log with its links and quick replies.
 * @param {object} message a message in the gateway's format
 * @returns {HTMLElement|null} the new element, or null for a message already shown
 */
export function renderMessage(message) {
  if (seenId(message)) {
    return null;
  }
  markSeen(message);

  const kind = isResidentMessage(message) ? 'own' : (['agent', 'system'].includes(message.sender) ? message.sender : 'bot');
  const name = senderName(message);
  const date = toDate(message.time);
  const text = typeof message.text === 'string' ? message.text : '';

  const $meta = createElement('p', { class: 'ca-msg__meta' }, [createElement('span', { class: 'ca-msg__sender', text: name })]);
  if (date) {
    $meta.append(' ', createElement('time', { class: 'ca-msg__time', datetime: date.toISOString(), text: formatClock(date) }));
  }
  state.messageCount += 1;
  const $message = createElement('div', { class: 'ca-msg ca-msg--' + kind, id: 'ca-msg-' + state.messageCount }, [$meta]);
  if (text) {
    $message.append(createElement('p', { class: 'ca-msg__text', text: text }));
  }

  const links = collectLinks(message);
  if (links.length > 0) {
    const $list = createElement('ul', { class: 'ca-msg__links' });
    links.forEach(function (link) {
      $list.append(createElement('li', {}, [createSafeLink(link.title, link.url)]));
    });
    $message.append($list);
  }

  const quickReplies = kind === 'own' ? [] : collectQuickReplies(message);
  if (quickReplies.length > 0) {
    removeOldQuickReplies(false);
    $message.append(renderQuickReplies(quickReplies));
  }

  // A message from a new speaker (an adviser joining after the bot's reply, say) starts a new
  // reply, so the log scrolls to it even when the previous reply was long.
  const newSpeaker = kind !== 'own' && state.replyAnchor !== null && state.replyAnchorKind !== kind;
  const stickToEnd = kind === 'own' || newSpeaker || isLogNearEnd();
  dom.$log.append($message);
  if (kind === 'own') {
    state.replyAnchor = null;
  } else if (!state.replyAnchor || newSpeaker) {
    state.replyAnchor = $message;
    state.replyAnchorKind = kind;
  }
  addToTranscript({
    sender: name,
    text: text,
    time: date,
    links: links.filter(function (link) { return toSafeHref(link.url); }),
  });
  if (stickToEnd) {
    scrollLogToEnd(false);
  }
  return $message;
}

/**
 * Collects the links of a message: message.links, buttons whose payload is a link, and the
 * source page of a service answer.
 * @param {object} message
 * @returns {{title: string, url: string}[]}
 */
function collectLinks(message) {
  const links = [];
  const seen = new Set();

  /**
   * Adds one link unless its URL is already listed.
   * @param {*} title
   * @param {*} url
   */
  function addLink(title, url) {
    if (typeof url !== 'string' || !url || seen.has(url)) {
      return;
    }
    seen.add(url);
    links.push({ title: title ? String(title) : url, url: url });
  }

  (Array.isArray(message.links) ? message.links : []).forEach(function (link) {
    if (link && typeof link === 'object') {
      addLink(link.title, link.url);
    }
  });
  (Array.isArray(message.buttons) ? message.buttons : []).forEach(function (button) {
    if (button && typeof button.payload === 'string' && toSafeHref(button.payload)) {
      addLink(button.title, button.payload);
    }
  });
  const custom = message.custom && typeof message.custom === 'object' ? message.custom : {};
  const sourceUrl = message.source_url || custom.source_url;
  if (sourceUrl) {
    addLink('More about this on the ' + config.councilName + ' website', sourceUrl);
  }
  return links;
}

/**
 * Collects the quick-reply buttons of a message, leaving out link buttons.
 * @param {object} message
 * @returns {{title: string, payload: string}[]}
 */
function collectQuickReplies(message) {
  return (Array.isArray(message.buttons) ? message.buttons : []).filter(function (button) {
    return button && typeof button.payload === 'string' && button.payload && !toSafeHref(button.payload);
  }).map(function (button) {
    return { title: String(button.title || button.payload), payload: button.payload };
  });
}

/**
 * Builds a group of quick-reply buttons.
 * @param {{title: string, payload: string}[]} buttons
 * @returns {HTMLElement}
 */
function renderQuickReplies(buttons) {
  const $group = createElement('div', { class: 'ca-quick-replies', role: 'group', 'aria-label': 'Suggested replies' });
  buttons.forEach(function (button) {
    const $button = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary ca-quick-reply', text: button.title });
    $button.addEventListener('click', function () {
      handleQuickReplyClick(button, $group);
    });
    $group.append($button);
  });
  return $group;
}

/**
 * Removes quick replies from earlier messages, because the gateway only accepts the payloads
 * of the buttons it sent last.
 * @param {boolean} keepLast keep the newest group
 */
export function removeOldQuickReplies(keepLast) {
  const $groups = Array.from(dom.$log.querySelectorAll('.ca-quick-replies'));
  const $remove = keepLast ? $groups.slice(0, -1) : $groups;
  $remove.forEach(function ($group) {
    const hadFocus = $group.contains(document.activeElement);
    $group.remove();
    if (hadFocus) {
      dom.$input.focus();
    }
  });
}

/**
 * Handles a click on a quick reply: sends its payload and shows its title as the resident's
 * message.
 * @param {{title: string, payload: string}} button
 * @param {HTMLElement} $group the button's group, removed once used
 */
function handleQuickReplyClick(button, $group) {
  if (!sendEvent('user_message', { payload: button.payload, title: button.title })) {
    renderNote('You are not connected, so that was not sent. Try again when the chat has reconnected.', { error: true });
    return;
  }
  $group.remove();
  renderOwnMessage(button.title);
  dom.$input.focus();
}

/**
 * Renders a message the resident has just sent.
 * @param {string} text
 */
export function renderOwnMessage(text) {
  state.pendingOwnTexts.push(text);
  renderMessage({ sender: 'user', text: text, time: new Date().toISOString() });
}

/**
 * Adds a note from the widget itself (connection, handoff or error) to the log.
 * @param {string} text
 * @param {{error?: boolean, contactRoutes?: boolean}} [options] error: style as an error;
 *   contactRoutes: add the council's phone and email links
 */
export function renderNote(text, options) {
  const settings = options || {};
  const $note = createElement('div', { class: 'ca-note' + (settings.error ? ' ca-note--error' : '') }, [
    createElement('p', { class: 'ca-note__text', text: (settings.error ? 'Error: ' : '') + text }),
  ]);
  const links = [];
  if (settings.contactRoutes) {
    $note.append(renderContactRoutes(links));
  }
  const stickToEnd = isLogNearEnd();
  dom.$log.append($note);
  addToTranscript({ sender: 'Chat update', text: text, time: new Date(), links: links });
  if (stickToEnd) {
    scrollLogToEnd(false);
  }
}

/**
 * Builds the council's phone and email routes as links.
 * @param {{title: string, url: string}[]} links receives the links, for the transcript
 * @returns {HTMLElement}
 */
function renderContactRoutes(links) {
  const $routes = createElement('p', { class: 'ca-note__routes', text: 'You can also contact us: ' });
  const routes = [];
  if (config.contactPhone) {
    routes.push({ title: 'call ' + config.contactPhone, url: 'tel:' + config.contactPhone.replace(/[^0-9+]/g, '') });
  }
  if (config.contactEmail) {
    routes.push({ title: 'email ' + config.contactEmail, url: 'mailto:' + config.contactEmail });
  }
  routes.forEach(function (route, index) {
    if (index > 0) {
      $routes.append(' or ');
    }
    $routes.append(createSafeLink(route.title, route.url));
    links.push(route);
  });
  $routes.append('.');
  return $routes;
}
