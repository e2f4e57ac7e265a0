import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A running Kafka broker and PostgreSQL server, and how to stop what was started for them. */
export interface Infrastructure {
  kafkaBrokers: string[];
  /** A URL of the PostgreSQL server; its database name is replaced by the tests. */
  databaseUrl: string;
  description: string[];
  stop: () => Promise<void>;
}

interface Provided<T> {
  value: T;
  description: string;
  stop: () => Promise<void>;
}

const nothing = async () => undefined;

async function commandExists(name: string): Promise<boolean> {
  try {
    await run('bash', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

async function localScriptsUsable(): Promise<boolean> {
  return (await commandExists('java')) && (await commandExists('mvn'));
}

async function dockerUsable(): Promise<boolean> {
  try {
    await run('docker', ['info'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

async function provideKafka(env: NodeJS.ProcessEnv): Promise<Provided<string[]>> {
  if (env.KAFKA_BROKERS) {
    return {
      value: env.KAFKA_BROKERS.split(','),
      description: `Kafka from KAFKA_BROKERS (${env.KAFKA_BROKERS})`,
      stop: nothing,
    };
  }
  if (await localScriptsUsable()) {
    const script = `${repoRoot}/deploy/local/kafka.sh`;
    const port = env.KAFKA_PORT ?? '9092';
    const wasRunning = await run('bash', [script, 'status']).then(
      () => true,
      () => false,
    );
    if (!wasRunning)
      await run('bash', [script, 'start'], { timeout: 600_000 }).catch((error: { stderr?: string }) => {
        throw new Error(`could not start the local Kafka broker:\n${error.stderr ?? 'no output'}`, { cause: error });
      });
    return {
      value: [`127.0.0.1:${port}`],
      description:
        `Kafka from deploy/local/kafka.sh on 127.0.0.1:${port}` +
        (wasRunning ? ' (already running, left running)' : ''),
      stop: wasRunning ? nothing : async () => void (await run('bash', [script, 'stop'])),
    };
  }
  if (await dockerUsable()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
    const brokers = [`${container.getHost()}:${container.getMappedPort(9093)}`];
    return {
      value: brokers,
      description: `Kafka from testcontainers (${brokers[0]})`,
      stop: async () => void (await container.stop()),
    };
  }
  throw new Error(
    'no Kafka: set KAFKA_BROKERS, install Java 17 + Maven for deploy/local/kafka.sh, or run a Docker engine',
  );
}

async function providePostgres(env: NodeJS.ProcessEnv): Promise<Provided<string>> {
  if (env.DATABASE_URL) {
    return { value: env.DATABASE_URL, description: 'PostgreSQL from DATABASE_URL', stop: nothing };
  }
  try {
    await run('bash', [`${repoRoot}/deploy/local/postgres.sh`]);
    return {
      value: 'postgres://postgres@127.0.0.1:5432/postgres',
      description: 'PostgreSQL on 127.0.0.1:5432',
      stop: nothing,
    };
  } catch (localError) {
    if (await dockerUsable()) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').start();
      return {
        value: container.getConnectionUri(),
        description: 'PostgreSQL from testcontainers',
        stop: async () => void (await container.stop()),
      };
    }
    throw new Error('no PostgreSQL: set DATABASE_URL or start a server on 127.0.0.1:5432', { cause: localError });
  }
}

/**
 * The single place that decides where test infrastructure comes from: URLs given in the
 * environment, else the local no-Docker scripts, else testcontainers.
 */
export async function provideInfrastructure(env: NodeJS.ProcessEnv = process.env): Promise<Infrastructure> {
  const [kafka, postgres] = await Promise.all([provideKafka(env), providePostgres(env)]);
  return {
    kafkaBrokers: kafka.value,
    databaseUrl: postgres.value,
    description: [kafka.description, postgres.description],
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}
