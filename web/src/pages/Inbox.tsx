/** The official's inbox: GET /api/tasks, each open task with its decisions as a form. */
import { useCallback, useEffect, useState } from 'react';
import { api, type Task } from '../api';
import { formatTime, useI18n } from '../i18n';
import { href } from '../router';
import { Alert } from '../components/fields';
import { errorMessage } from '../components/errors';
import { TaskForm } from './TaskForm';

export function Inbox() {
  const i18n = useI18n();
  const { t, tv, lang } = i18n;
  const [tasks, setTasks] = useState<Task[]>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setTasks(await api.tasks());
    } catch (e) {
      setError(errorMessage(e, i18n));
    }
  }, [i18n]);

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section aria-labelledby="inbox-title">
      <div className="title-row">
        <h1 id="inbox-title">{t('inboxTitle')}</h1>
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
      {tasks === undefined && !error ? <p>{t('loading')}</p> : null}
      {tasks?.length === 0 ? <p>{t('noTasks')}</p> : null}
      <ul className="task-list">
        {tasks?.map((task) => (
          <li key={task.taskId} className="card" data-testid="task" data-task-kind={task.kind} data-subject={task.subjectId}>
            <h2>
              {tv('kind_', task.kind)} · <a href={href(`/official/cases/${task.subjectId}`)}>{task.subjectId}</a>
            </h2>
            <p className="meta">
              {task.title} · {t('due')}: <time dateTime={task.dueAt}>{formatTime(task.dueAt, lang)}</time>
              {task.overdue ? <span className="badge badge-danger">{t('overdue')}</span> : null}
              {task.escalated ? <span className="badge badge-warn">{t('escalated')}</span> : null}
            </p>
            <TaskForm
              task={task}
              onCompleted={() => {
                setDone(`${task.subjectId}: ${t('completed')}`);
                setTasks((list) => list?.filter((x) => x.taskId !== task.taskId));
              }}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
