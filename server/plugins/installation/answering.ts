import { HttpError } from '../../http/errors.ts';
import { CatalogError } from './catalog.ts';
import { PackageError } from './package-files.ts';

/** Turns package and catalog failures into the API's errors: 400 `package_invalid`, 502 `catalog_unavailable`. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PackageError) {
      throw new HttpError('package_invalid', `This package cannot be used: ${error.message}`, {
        problems: error.problems,
      });
    }
    if (error instanceof CatalogError) {
      throw new HttpError('catalog_unavailable', `The marketplace catalog cannot be read: ${error.message}`);
    }
    throw error;
  }
}
