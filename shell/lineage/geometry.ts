/** Size of a drawn node, in flow units: the layout spaces nodes by it and the canvas draws them at it. */
export const nodeSize = { width: 220, height: 58 } as const;
