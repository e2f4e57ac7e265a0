import { normalizeCommand } from './normalize.command.js';

const usage = `usage: pnpm --silent cli <command>
  normalize                      JSON lines {"key","raw","country"?} on stdin → {"key","raw","normalized","value"}
`;

const [command] = process.argv.slice(2);
try {
  switch (command) {
    case 'normalize':
      await normalizeCommand(process.stdin, process.stdout, new Date());
      break;
    default:
      process.stderr.write(`${usage}\n`);
      process.exitCode = command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
