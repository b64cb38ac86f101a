/** GET /api/homework/rules (public): the rule set notices are checked against. */
import { httpRoute, reply } from '../platform/http';
import { currentRuleSet } from '../domain/homework/rule-set-repository';

export const handler = httpRoute({ auth: 'public' }, async () => reply(200, await currentRuleSet()));
