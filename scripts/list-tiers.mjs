#!/usr/bin/env node
// Prints the names of the vitest projects (the test tiers) as a JSON array, in config order.
import { createVitest } from 'vitest/node';

const vitest = await createVitest('test', { watch: false, run: true }, {}, {});
console.log(JSON.stringify(vitest.projects.map((p) => p.name)));
await vitest.close();
