import type { IncomingMessage, ServerResponse } from 'node:http'
import { DASHBOARD_HTML } from './page.js'
import type { DashboardSource } from './state.js'

/** The dashboard's routes for ApiServer's `extraRoutes`: the page at / and its data. */
export function dashboardRoutes(source: DashboardSource): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (req.method !== 'GET') return false
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/' || path === '/dashboard') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' })
      res.end(DASHBOARD_HTML)
      return true
    }
    if (path === '/dashboard/state') {
      const body = JSON.stringify(await source.state())
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      res.end(body)
      return true
    }
    return false
  }
}
