import { useEffect, useState } from 'react';
import { RouterProvider } from 'react-router';

import { createQueryClient } from './queryClient';
import { Providers } from './Providers';
import { createAppRouter } from './router';
import { redirectToLoginOnUnauthorized } from './unauthorized';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createAppRouter);

  useEffect(() => redirectToLoginOnUnauthorized(router), [router]);

  return (
    <Providers client={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  );
}
