import type { Command } from '../cli/command.js';
import { applyCommand } from './apply.js';
import { completionCommand } from './completion.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { diffCommand } from './diff.js';
import { getCommand } from './get.js';
import { keysCommand } from './keys.js';
import { loginCommand } from './login.js';
import { routeCommand } from './route.js';
import { topCommand } from './top.js';
import { usageCommand } from './usage.js';
import { validateCommand } from './validate.js';
import { versionCommand } from './version.js';

/** Every bascule command, in help order. A new command is one file plus one line here. */
export const COMMANDS: readonly Command[] = [
  applyCommand,
  diffCommand,
  deleteCommand,
  getCommand,
  describeCommand,
  routeCommand,
  topCommand,
  keysCommand,
  usageCommand,
  loginCommand,
  validateCommand,
  completionCommand,
  versionCommand,
];
export { validateCommand, versionCommand, applyCommand, getCommand, deleteCommand, diffCommand };
