import { normalizeCommand } from './normalize.command.js';

const usage = `usage: pnpm --silent cli <command>
  normalize                      JSON lines {"key","raw","country"?} on stdin → {"key","raw","normalized","value"}
  workspace create --name NAME   create a workspace and its first API key; prints {"workspaceId","apiKey"}
  demo [--users N] [--rate R]    while make dev runs: launch the example canvas and send events
  demo-segments [--users N]      while make dev runs: a past-behaviour segment, its estimate,
                                 an audience that follows it
  produce [--workspace ID]       JSON events on stdin, one per line, to the user-events topic
  offsets [skip …]               each partition's stored offset, lag and failing message; skip one by hand
`;

const [command, ...args] = process.argv.slice(2);
try {
  switch (command) {
    case 'normalize':
      await normalizeCommand(process.stdin, process.stdout, new Date());
      break;
    case 'demo': {
      const { demoCommand } = await import('./demo.command.js');
      await demoCommand(args, process.env);
      break;
    }
    case 'demo-segments': {
      const { segmentsDemoCommand } = await import('./segments-demo.command.js');
      await segmentsDemoCommand(args, process.env);
      break;
    }
    case 'produce': {
      const { produceCommand } = await import('./produce.command.js');
      await produceCommand(args, process.env);
      break;
    }
    case 'offsets': {
      const { offsetsCommand } = await import('./offsets.command.js');
      await offsetsCommand(args, process.env);
      break;
    }
    case 'workspace': {
      const { workspaceCommand } = await import('./workspace.command.js');
      await workspaceCommand(args, process.env);
      break;
    }
    default:
      process.stderr.write(`${usage}\n`);
      process.exitCode = command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
