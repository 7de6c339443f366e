import { mount } from 'svelte'
import { z } from 'zod'
import './app.css'
import App from './App.svelte'

// Our CSP forbids eval; without this zod probes `new Function` and the page logs a CSP violation.
z.config({ jitless: true })

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element to mount the studio in')

export default mount(App, { target })
