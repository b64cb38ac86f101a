/** SLA of each human step, in working days (PRODUCT.md §1; issue 3). */
export const stepSlaWorkingDays = {
  accept_case: 1,
  investigate: 5,
  department_signoff: 3,
  reinspect: 1,
} as const;

/** Rectification deadlines when the decision names none. */
export const DEFAULT_RECTIFICATION_WORKING_DAYS = 10;
