/** PUT /api/admin/homework-rules (admin): a newer version of the district's rule set. */
import { httpRoute, reply } from '../platform/http';
import { ForbiddenError } from '../platform/errors';
import { clock } from '../platform/clock';
import { RuleSetSchema } from '../domain/homework/rules';
import { replaceRuleSet } from '../domain/homework/rule-set-repository';

export const handler = httpRoute({ auth: 'official', body: RuleSetSchema }, async ({ official, body }) => {
  if (official.role !== 'admin') throw new ForbiddenError('Only the admin changes the homework rules');
  return reply(200, await replaceRuleSet(body, official.username, clock.now()));
});
