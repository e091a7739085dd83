export * from '@spgdataset/core';
