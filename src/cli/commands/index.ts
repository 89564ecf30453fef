import type { Command } from '../command.js';
import { appAdd } from './app-add.js';
import { appLs } from './app-ls.js';
import { appRm } from './app-rm.js';
import { cancel } from './cancel.js';
import { dashboard } from './dashboard.js';
import { deploy } from './deploy.js';
import { down } from './down.js';
import { history } from './history.js';
import { importCommand } from './import.js';
import { logs } from './logs.js';
import { rollback } from './rollback.js';
import { scale } from './scale.js';
import { secretLs, secretRm, secretSet } from './secret.js';
import { status } from './status.js';
import { up } from './up.js';

/** Every command, in the order `wandol --help` lists them. Group commands are named `app add`. */
export const COMMANDS: readonly Command[] = [
  up,
  down,
  appAdd,
  appLs,
  appRm,
  status,
  deploy,
  rollback,
  cancel,
  history,
  logs,
  scale,
  secretSet,
  secretLs,
  secretRm,
  dashboard,
  importCommand,
];

/** Command groups: the first word of multi-word commands. */
export const GROUPS: readonly string[] = ['app', 'secret'];
