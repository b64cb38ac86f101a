/** One TransactWriteItems call, shared by the repositories (which build the items). */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documents } from './dynamodb';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

export async function transactItems(items: TransactItems): Promise<void> {
  await documents.send(new TransactWriteCommand({ TransactItems: items }));
}
