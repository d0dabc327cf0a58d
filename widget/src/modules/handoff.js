/**
 * @file Handoff to an adviser: "Talk to a person", the handoff states, the header status, and the
 * panel with the queue place and its Cancel button.
 */

import { writeStorage } from './config.js';
import { sendEvent } from './connection.js';
import { HUMAN_PAYLOAD, HUMAN_TITLE, STORAGE_KEYS } from './constants.js';
import { openWidget } from './dialog.js';
import { createElement } from './elements.js';
import { formatNumber } from './format.js';
import { renderLeaveMessageForm } from './leave-message.js';
import { removeOldQuickReplies, renderNote, renderOwnMessage } from './messages.js';
import { dom, state } from './state.js';

/**
 * Handles "Talk to a person": requests an adviser, unless the resident is already queued or connected.
 */
export function handleHumanClick() {
  if (state.handoffState === 'queued') {
    renderNote('You are already waiting to talk to an adviser.');
    return;
  }
  if (state.handoffState === 'with_agent') {
    renderNote('You are already talking to ' + describeAgent(state.agent) + '.');
    return;
  }
  if (!sendEvent('user_message', { payload: HUMAN_PAYLOAD, title: HUMAN_TITLE })) {
    renderNote('You are not connected, so we could not ask for an adviser. Try again when the chat has reconnected.', { error: true });
    return;
  }
  renderOwnMessage(HUMAN_TITLE);
  if (!state.open) {
    openWidget();
  }
}

/**
 * Describes the connected adviser as "Sam, Customer services adviser".
 * @param {object|null} agent
 * @returns {string}
 */
function describeAgent(agent) {
  if (!agent || !agent.first_name) {
    return 'an adviser';
  }
  return agent.role ? agent.first_name + ', ' + agent.role : agent.first_name;
}

/**
 * Maps the gateway's state names (and likely synonyms) to the widget's five states.
 * @param {*} name
 * @returns {string} bot, queued, with_agent, closed or out_of_hours
 */
function normaliseState(name) {
  const value = String(name || 'bot').toLowerCase();
  const aliases = {
    waiting: 'queued',
    queue: 'queued',
    connected: 'with_agent',
    agent: 'with_agent',
    ended: 'closed',
    cancelled: 'bot',
    handed_back: 'bot',
  };
  const normalised = aliases[value] || value;
  return ['bot', 'queued', 'with_agent', 'closed', 'out_of_hours'].includes(normalised) ? normalised : 'bot';
}

/**
 * Stores the connected adviser's public details.
 * @param {object|null} agent
 */
export function setAgent(agent) {
  state.agent = agent && agent.first_name ? { first_name: String(agent.first_name), role: agent.role ? String(agent.role) : '' } : null;
  writeStorage(STORAGE_KEYS.agent, state.agent ? JSON.stringify(state.agent) : null);
}

/**
 * Applies a handoff state to the header and the panel. The log needs no note here, because the
 * gateway sends a system message with every change (queue joined, adviser joined, ended).
 * @param {object} data handoff_state or session_confirm data
 */
export function updateHandoff(data) {
  const next = normaliseState(data.state);
  const previous = state.handoffState;
  state.handoffState = next;
  if (data.agent && typeof data.agent === 'object') {
    setAgent(data.agent);
  }
  if (next !== previous && ['bot', 'with_agent', 'closed'].includes(next)) {
    // Buttons such as "Leave the queue" belong to the state that has just ended.
    removeOldQuickReplies(false);
  }

  if (next === 'queued') {
    renderQueuePanel(data);
  } else if (next === 'with_agent') {
    updatePanel(null);
  } else if (next === 'out_of_hours') {
    if (next !== previous || !dom.$panel.querySelector('form')) {
      renderLeaveMessageForm(data);
    }
  } else {
    // Only the feedback form stays when the state changes to bot or closed.
    if (!dom.$panel.querySelector('.ca-feedback')) {
      updatePanel(null);
    }
    setAgent(null);
  }
  updateHeaderStatus();
}

/**
 * Shows in the header whether the bot or an adviser is replying.
 */
export function updateHeaderStatus() {
  dom.$status.textContent = state.handoffState === 'with_agent'
    ? 'Adviser: ' + describeAgent(state.agent)
    : 'Automated assistant';
}

/**
 * Replaces the panel's content, or hides the panel when content is null.
 * @param {HTMLElement|null} $content
 */
export function updatePanel($content) {
  const hadFocus = dom.$panel.contains(document.activeElement);
  dom.$panel.textContent = '';
  if (hadFocus && !$content) {
    dom.$input.focus();
  }
  if (!$content) {
    dom.$panel.hidden = true;
    return;
  }
  dom.$panel.append($content);
  dom.$panel.hidden = false;
}

/**
 * Shows the queue place, the rough wait and a Cancel button.
 * @param {object} data handoff_state data
 */
function renderQueuePanel(data) {
  const parts = ['Waiting for an adviser.'];
  const position = Number(data.queue_position);
  if (Number.isFinite(position) && position > 0) {
    parts.push(position === 1 ? 'You are next in the queue.' : 'You are number ' + formatNumber(position) + ' in the queue.');
  }
  const minutes = Number(data.estimated_wait_minutes);
  if (data.estimated_wait_minutes !== undefined && data.estimated_wait_minutes !== null && Number.isFinite(minutes)) {
    if (minutes < 1) {
      parts.push('The wait should be less than a minute.');
    } else {
      const rounded = Math.round(minutes);
      parts.push('The wait is roughly ' + formatNumber(rounded) + (rounded === 1 ? ' minute.' : ' minutes.'));
    }
  }
  const text = parts.join(' ');

  const $existing = dom.$panel.querySelector('.ca-queue__text');
  if ($existing) {
    if ($existing.textContent !== text) {
      $existing.textContent = text;
    }
    return;
  }
  const $cancel = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary', text: 'Cancel and stop waiting' });
  $cancel.addEventListener('click', handleCancelHandoffClick);
  updatePanel(createElement('div', { class: 'ca-queue' }, [
    createElement('p', { class: 'ca-queue__text', role: 'status', text: text }),
    createElement('p', { class: 'ca-panel__hint', text: 'You can close the chat while you wait. You keep your place in the queue.' }),
    $cancel,
  ]));
}

/**
 * Handles the queue's Cancel button.
 */
function handleCancelHandoffClick() {
  if (!sendEvent('cancel_handoff', {})) {
    renderNote('You are not connected, so we could not cancel. Try again when the chat has reconnected.', { error: true });
  }
}
