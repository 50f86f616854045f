// tests/bench/peers.mjs: the peers of make bench (DuckDB, Polars, simdjson
// under node, installed by make bench-deps into build/peers/node_modules)
// doing exactly the jobs dumpkit's tools do, so that one run compares them.
//
//   node peers.mjs ENGINE JOB OUT IN...
//
// ENGINE: duckdb, polars or simdjson.  OUT: a file, or /dev/stdout.
// JOB (inputs):
//   csv2ndjson (CSV)          every row as a JSON object of strings
//   inner|left|unmatched (TWINS RECORDS)
//                             twin-join's joins: records with dgis_id and
//                             dgis_type, left keeps the unlinked with them
//                             empty, unmatched only the unlinked ones
//   places (CSV)              place-normalize --locale ru's mapping
//   records (PAGES)           .data[] of each JSON:API page, minified
//   spectator (PAGES NOW WITHIN)  spectator-expire's default report
// "check" as ENGINE prints which engines load, one per line.
// Figures, not tests: anything that does not load is skipped by the caller.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import readline from 'node:readline';

const require = createRequire(process.env.PEERS_DIR
    ? process.env.PEERS_DIR + '/package.json' : import.meta.url);
const [engine, job, out, ...inputs] = process.argv.slice(2);
const q = (s) => "'" + String(s).replace(/'/g, "''") + "'";

async function duckdb() {
	const { DuckDBInstance } = require('@duckdb/node-api');
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	const csv = (f, extra = '') =>
	    `read_csv(${q(f)}, header = true, all_varchar = true, ` +
	    `quote = '"', escape = '"'${extra})`;
	const twins = () => `(SELECT partner_id, dgis_id, dgis_type FROM ${csv(inputs[0])})`;
	let sql, fmt = "(FORMAT json)";
	switch (job) {
	case 'csv2ndjson':
		sql = `SELECT * FROM ${csv(inputs[0])}`;
		break;
	case 'inner':
	case 'left':
		sql = `SELECT r.*, l.dgis_id, l.dgis_type FROM ${csv(inputs[1])} r ` +
		    `${job === 'left' ? 'LEFT ' : ''}JOIN ${twins()} l ` +
		    `ON r.partner_id = l.partner_id`;
		fmt = "(FORMAT csv, HEADER)";
		break;
	case 'unmatched':
		sql = `SELECT r.* FROM ${csv(inputs[1])} r ANTI JOIN ${twins()} l ` +
		    `ON r.partner_id = l.partner_id`;
		fmt = "(FORMAT csv, HEADER)";
		break;
	case 'places':
		sql = `SELECT "Код" AS id, "Наименование" AS title, ` +
		    `string_split(replace("Категория", ' ', ''), ',') AS tags, ` +
		    `{'coordinates': {'lat': CAST(replace("Широта", ',', '.') AS DOUBLE), ` +
		    `'lng': CAST(replace("Долгота", ',', '.') AS DOUBLE)}, ` +
		    `'addresses': [{'locale': 'ru', 'address': "Адрес"}], ` +
		    `'arrivalDuration': CAST("Время прибытия" AS INTEGER)} AS location ` +
		    `FROM ${csv(inputs[0], ", delim = ';'")}`;
		break;
	case 'spectator': {
		const now = Number(inputs[1]), within = Number(inputs[2]);
		sql = `WITH d AS (SELECT unnest(data) AS r FROM read_json(${q(inputs[0])}, ` +
		    `format = 'newline_delimited', maximum_object_size = 1073741824)), ` +
		    `s AS (SELECT r, epoch(CAST(r.attributes.ValidTill AS TIMESTAMPTZ)) - ${now} AS left_s FROM d) ` +
		    `SELECT r.id AS id, CASE WHEN left_s <= 0 THEN 'expired' ELSE 'expiring' END AS status, ` +
		    `strftime(CAST(r.attributes.ValidTill AS TIMESTAMP), '%Y-%m-%dT%H:%M:%SZ') AS ValidTill, ` +
		    `CAST(left_s AS BIGINT) AS seconds_left, ` +
		    `r.attributes.Note AS Note, ` +
		    `regexp_replace(r.attributes.MapLink, '_cpKey=(...).*(...)$', '_cpKey=\\1…\\2') AS MapLink, ` +
		    `list_transform(r.relationships.Cars.data, x -> x.id) AS cars ` +
		    `FROM s WHERE left_s IS NOT NULL AND left_s <= ${within}`;
		break;
	}
	default:
		throw new Error(`duckdb: no job ${job}`);
	}
	await c.run(`COPY (${sql}) TO ${q(out)} ${fmt}`);
}

async function polars() {
	const pl = require('nodejs-polars');
	const read = (f, sep = ',') => pl.readCSV(f, { inferSchemaLength: 0, sep,
	    quoteChar: '"' });
	switch (job) {
	case 'csv2ndjson':
		read(inputs[0]).writeJSON(out, { format: 'lines' });
		break;
	case 'inner':
	case 'left':
	case 'unmatched': {
		const l = read(inputs[0]).select('partner_id', 'dgis_id', 'dgis_type');
		const r = read(inputs[1]);
		r.join(l, { on: 'partner_id', how: job === 'unmatched' ? 'anti' : job })
		    .writeCSV(out);
		break;
	}
	default:
		throw new Error(`polars: no job ${job}`);
	}
}

// simdjson's parse, then JSON.stringify of each resource: parse+minify.
async function simdjson() {
	const sj = require('simdjson');
	if (job !== 'records')
		throw new Error(`simdjson: no job ${job}`);
	const fd = fs.openSync(out, 'w');
	const rl = readline.createInterface({ input: fs.createReadStream(inputs[0]),
	    crlfDelay: Infinity });
	for await (const line of rl) {
		if (line === '')
			continue;
		const data = sj.parse(line).data;
		let s = '';
		for (const d of data)
			s += JSON.stringify(d) + '\n';
		fs.writeSync(fd, s);
	}
	fs.closeSync(fd);
}

function check() {
	for (const [name, mod] of [['duckdb', '@duckdb/node-api'],
	    ['polars', 'nodejs-polars'], ['simdjson', 'simdjson']]) {
		try {
			require(mod);
			console.log(name);
		} catch (e) {
			// not installed or no native build: skipped
		}
	}
}

const engines = { duckdb, polars, simdjson };
if (engine === 'check')
	check();
else if (engines[engine])
	await engines[engine]();
else {
	console.error(`peers.mjs: no engine ${engine}`);
	process.exit(2);
}
