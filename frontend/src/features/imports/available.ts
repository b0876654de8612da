/** The import wizard is offered: the contract has the import endpoints. */
export const hasImports = true;
