/**
 * What the citizen reads in the public timeline: Chinese first, then English, in one string (the
 * timeline is public and has no language negotiation). No official's name, no internal detail.
 */
const both = (zh: string, en: string) => `${zh} ${en}`;

export const publicNotes = {
  received: both('您的举报已收到。', 'Your report has been received.'),
  routed: both('您的举报已审核，并转交负责处理的部门。', 'Your report has been reviewed and passed to the office responsible for it.'),
  linked: both(
    '您举报的对象与一件正在办理的举报相同，两件将合并办理，您将收到相同的处理结果。',
    'Your report concerns the same subject as an earlier report that is being handled; the two are handled together and you will receive the same outcome.',
  ),
  accepted: both('负责部门已受理您的举报。', 'Your report has been accepted by the responsible office.'),
  investigating: both('检查人员正在调查核实。', 'An inspector is investigating your report.'),
  jointEnforcement: both('多个部门正在对您举报的问题开展联合执法。', 'Several departments are acting together on your report.'),
  rectifying: (deadline: string) => both(`违规行为已查实，须于 ${deadline} 前完成整改，届时将再次检查。`, `The violation has been confirmed. It must be rectified by ${deadline}, when an inspector will check again.`),
  rectifyingAgain: (deadline: string) => both(`整改尚未到位，新的整改期限为 ${deadline}，届时将再次检查。`, `The rectification was not sufficient. A new deadline is ${deadline}, when an inspector will check again.`),
  unfounded: both('经调查，未发现违规行为，本件已办结。', 'The investigation did not confirm a violation. The case is closed.'),
  rectified: both('违规行为已查实，并已在教育局督导下整改到位，本件已办结。', 'The violation was confirmed and has been rectified under the supervision of the education bureau. The case is closed.'),
};
