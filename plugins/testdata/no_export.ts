/** Test fixture: a module without the `cellModify` export. @module */
/** Not the expected export name. */
export function modify(): void {}
