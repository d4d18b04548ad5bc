/** The query of open admin notices (`GET /api/notices`); server events invalidate it. */
export const noticesQueryKey = ['notices'] as const;
